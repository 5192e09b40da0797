"""The model registry: every trained scorecard with its data window, sample sizes, hold-out
metrics and fitted pipeline (an attachment with its checksum); one active per cooperative."""

import base64
import hashlib
import logging

import numpy as np
import pandas as pd
from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.kopdes_financing.tools.schedule import add_months
from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today, kopdes_without_defaults

from ..tools.scorecard import ExpertScorecard, Scorecard, psi
from .kopdes_scoring_common import (
    EXPERT_BASE,
    EXPERT_RULES,
    GROUP_MANAGER,
    check_scoring_role,
    is_scoring_system,
    scoring_system,
)
from .kopdes_scoring_feature import CATEGORICAL, FEATURES, MONOTONE, NO_HISTORY, model_input

_logger = logging.getLogger(__name__)

PSI_WARNING = 0.10
PSI_ALERT = 0.25
OUTCOME_MONTHS = 12
BAD_DAYS = 90
# rows of the training features kept with a model for the drift comparison
DRIFT_SAMPLE = 5000


class KopdesScoringModel(models.Model):
    _name = "kopdes.scoring.model"
    _description = "Credit Scoring Model"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "company_id, version desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    version = fields.Integer(required=True, readonly=True)
    state = fields.Selection(
        [("candidate", "Candidate"), ("active", "Active"), ("retired", "Retired")],
        required=True,
        default="candidate",
        readonly=True,
        tracking=True,
        index=True,
    )
    training_date = fields.Datetime(readonly=True)
    data_from = fields.Date(string="Applications From", readonly=True)
    data_to = fields.Date(string="Applications Until", readonly=True)
    n_train = fields.Integer(string="Training Loans", readonly=True)
    n_train_bad = fields.Integer(string="Training Bad Loans", readonly=True)
    n_test = fields.Integer(string="Hold-Out Loans", readonly=True)
    n_test_bad = fields.Integer(string="Hold-Out Bad Loans", readonly=True)
    auc = fields.Float(string="AUC", digits=(16, 4), readonly=True)
    gini = fields.Float(digits=(16, 4), readonly=True)
    ks = fields.Float(string="KS", digits=(16, 4), readonly=True)
    brier = fields.Float(digits=(16, 4), readonly=True)
    has_metrics = fields.Boolean(readonly=True)
    calibration = fields.Json(readonly=True)
    calibration_html = fields.Html(compute="_compute_calibration_html", sanitize=False)
    active_auc_on_holdout = fields.Float(
        string="Active Model AUC on this Hold-Out", digits=(16, 4), readonly=True
    )
    feature_names = fields.Text(string="Features", readonly=True)
    holdout_loan_ids = fields.Json(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Fitted Pipeline", readonly=True)
    checksum = fields.Char(string="SHA-256", readonly=True)
    drift_sample = fields.Json(readonly=True)
    drift_date = fields.Date(readonly=True)
    drift_psi = fields.Float(string="Score PSI", digits=(16, 4), readonly=True)
    drift_features = fields.Json(string="Feature PSI", readonly=True)
    drift_state = fields.Selection(
        [("ok", "Stable"), ("warning", "Warning"), ("alert", "Alert")],
        readonly=True,
        tracking=True,
    )
    drift_html = fields.Html(compute="_compute_drift_html", sanitize=False)
    note = fields.Text(readonly=True)
    activated_by_id = fields.Many2one("res.users", readonly=True)
    activated_date = fields.Datetime(readonly=True)
    score_count = fields.Integer(compute="_compute_score_count")

    _sql_constraints = [
        ("version_uniq", "unique(company_id, version)", "A model version is unique."),
    ]

    @api.depends("version")
    def _compute_name(self):
        for model in self:
            model.name = _("Scorecard v%(version)s", version=model.version)

    @api.depends("calibration")
    def _compute_calibration_html(self):
        head = "".join(
            f"<th class='text-end'>{escape(label)}</th>"
            for label in (_("Loans"), _("Predicted bad rate"), _("Observed bad rate"))
        )
        for model in self:
            rows = "".join(
                f"<tr><td>{escape(band)}</td><td class='text-end'>{escape(n)}</td>"
                f"<td class='text-end'>{float(predicted):.3f}</td>"
                f"<td class='text-end'>{float(observed):.3f}</td></tr>"
                for band, n, predicted, observed in (model.calibration or [])
            )
            model.calibration_html = (
                f"<table class='table table-sm'><thead><tr><th>{escape(_('Band'))}</th>{head}"
                f"</tr></thead><tbody>{rows}</tbody></table>"
            )

    @api.depends("drift_features")
    def _compute_drift_html(self):
        for model in self:
            items = sorted((model.drift_features or {}).items(), key=lambda kv: -kv[1])
            model.drift_html = "".join(
                f"<div>{escape(feature)}: {value:.3f}</div>" for feature, value in items[:10]
            )

    def _compute_score_count(self):
        counts = dict(
            self.env["kopdes.score"]._read_group(
                [("model_id", "in", self.ids)], ["model_id"], ["__count"]
            )
        )
        for model in self:
            model.score_count = counts.get(model, 0)

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not is_scoring_system(self.env):
            raise AccessError(_("Models are made by the training; press Train a Model."))
        return super().create(vals_list)

    def write(self, vals):
        if not is_scoring_system(self.env) and set(vals) - {"message_main_attachment_id"}:
            raise AccessError(_("Models are changed by the training and activation only."))
        return super().write(vals)

    # ------------------------------------------------------------- scorers

    @api.model
    def _kopdes_today(self, company=None):
        return kopdes_today(self.env, company)

    @api.model
    def _kopdes_expert(self):
        """The expert scorecard (hand-set points on the same features)."""
        return ExpertScorecard(EXPERT_RULES, base_points=EXPERT_BASE)

    @api.model
    def _kopdes_active_scorer(self, company):
        """(active model record or an empty recordset, its scorecard object): the expert
        scorecard serves when the cooperative has no active trained model."""
        model = self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", "active")], limit=1
        )
        if model:
            return model, model._kopdes_load()
        return self.browse(), self._kopdes_expert()

    def _kopdes_load(self):
        """The fitted pipeline of this model, after checking the attachment's checksum."""
        self.ensure_one()
        data = base64.b64decode(self.sudo().attachment_id.datas or b"")
        if not data or hashlib.sha256(data).hexdigest() != self.checksum:
            raise UserError(
                _(
                    "The stored pipeline of %(model)s does not match its checksum; retrain "
                    "the model.",
                    model=self.display_name,
                )
            )
        return Scorecard.loads(data)

    # ------------------------------------------------------------ training

    @api.model
    def _kopdes_training_set(self, company, as_of):
        """The disbursed loans of ``company`` with a known outcome on ``as_of`` (12 months
        since disbursement, or bad already), their features at their application date and
        the target (1 = reached 90 days past due, Kurang Lancar or worse, or written off
        within 12 months of disbursement)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id, member_id, application_date, disbursement_date
                  FROM kopdes_loan
                 WHERE company_id = %s AND disbursement_date IS NOT NULL
                   AND disbursement_date <= %s
              ORDER BY id
                """,
                company.id,
                as_of,
            )
        )
        rows = self.env.cr.fetchall()
        loans = self.env["kopdes.loan"].browse([row[0] for row in rows])
        bad = set(
            self.env["kopdes.loan.snapshot"]._kopdes_reached(loans, BAD_DAYS, OUTCOME_MONTHS).ids
        )
        cutoff = add_months(as_of, -OUTCOME_MONTHS)
        known = [row for row in rows if row[0] in bad or row[3] <= cutoff]
        keys = [(row[1], row[2]) for row in known]
        frame = self.env["kopdes.scoring.feature"]._kopdes_features(keys)
        frame["loan_id"] = [row[0] for row in known]
        target = pd.Series([1 if row[0] in bad else 0 for row in known], index=frame.index)
        return frame, target

    @api.model
    def _kopdes_train(self, company, as_of=None, features=None, components=None):
        """Train a scorecard for ``company`` on its loans with a known outcome. Returns
        (model or empty, message). With fewer outcomes than configured no model is made
        and the expert scorecard keeps serving; a model that scores worse than the active
        one on the same hold-out stays a candidate. ``features`` restricts the features
        (all known ones by default); ``components`` the library's additive models (its
        default ensemble when not given)."""
        self = scoring_system(self.with_company(company))
        as_of = as_of or self._kopdes_today(company)
        frame, target = self._kopdes_training_set(company, as_of)
        n, n_bad = len(target), int(target.sum())
        minimum, minimum_bad = company.kopdes_scoring_min_loans, company.kopdes_scoring_min_bad
        if n < minimum or n_bad < minimum_bad:
            return self.browse(), _(
                "Not enough outcomes to train a model: %(n)s loans with %(bad)s bad ones, "
                "at least %(min)s loans and %(min_bad)s bad ones are needed. The expert "
                "scorecard keeps serving.",
                n=n,
                bad=n_bad,
                min=minimum,
                min_bad=minimum_bad,
            )
        if features is None:
            features = [name for name in FEATURES if name in frame]
            features += [name for name in ("kasbon_open", "kasbon_overdue_days") if name in frame]
        else:
            unknown = [name for name in features if name not in frame]
            if unknown:
                raise UserError(_("Unknown features: %(names)s", names=", ".join(unknown)))
        train, test = _stratified_split(target, share=0.3, seed=0)
        X = model_input(frame, features)
        options = {"components": tuple(components)} if components else {}
        scorecard = Scorecard(
            monotone={k: v for k, v in MONOTONE.items() if k in features},
            random_state=0,
            neutral_values={name: [NO_HISTORY] for name in CATEGORICAL if name in features},
            **options,
        )
        scorecard.fit(X.loc[train], target.loc[train])
        metrics = scorecard.metrics(X.loc[test], target.loc[test])
        active, active_scorer = self._kopdes_active_scorer(company)
        active_auc = 0.0
        if active:
            active_features = [n for n in active.feature_names.split(",") if n in frame]
            active_auc = float(
                active_scorer.metrics(
                    model_input(frame.loc[test], active_features), target.loc[test]
                )["auc"]
            )
        data = scorecard.dumps()
        checksum = hashlib.sha256(data).hexdigest()
        version = max(self.search([("company_id", "=", company.id)]).mapped("version") or [0]) + 1
        sample = X.loc[train].head(DRIFT_SAMPLE)
        train_scores = scorecard.score(sample)
        model = self.create(
            {
                "company_id": company.id,
                "version": version,
                "training_date": fields.Datetime.now(),
                "data_from": min(frame["as_of"]),
                "data_to": max(frame["as_of"]),
                "n_train": len(train),
                "n_train_bad": int(target.loc[train].sum()),
                "n_test": len(test),
                "n_test_bad": int(target.loc[test].sum()),
                "auc": float(metrics["auc"]),
                "gini": float(metrics["gini"]),
                "ks": float(metrics["ks"]),
                "brier": float(metrics["brier"]),
                "has_metrics": True,
                "calibration": [list(_jsonable_row(item)) for item in metrics["calibration"]],
                "active_auc_on_holdout": active_auc,
                "feature_names": ",".join(features),
                "holdout_loan_ids": [int(i) for i in frame.loc[test, "loan_id"]],
                "checksum": checksum,
                "drift_sample": {
                    "score": [int(s) for s in train_scores],
                    **{
                        name: [None if pd.isna(v) else v for v in sample[name].tolist()]
                        for name in features
                    },
                },
            }
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"scorecard-v{version}.bin",
                "res_model": self._name,
                "res_id": model.id,
                "raw": data,
                "mimetype": "application/octet-stream",
                "company_id": company.id,
            }
        )
        model.attachment_id = attachment
        if active and metrics["auc"] < active_auc:
            message = _(
                "Model v%(version)s trained (AUC %(auc).3f) but not activated: the active "
                "model scores AUC %(active).3f on the same hold-out.",
                version=version,
                auc=metrics["auc"],
                active=active_auc,
            )
            model.note = message
        else:
            model._kopdes_activate()
            message = _(
                "Model v%(version)s trained on %(n)s loans (%(bad)s bad) and activated: "
                "AUC %(auc).3f.",
                version=version,
                n=n,
                bad=n_bad,
                auc=metrics["auc"],
            )
            model.note = message
        model.message_post(body=message, subtype_xmlid="mail.mt_note")
        return model, message

    def _kopdes_activate(self):
        self.ensure_one()
        if not self.has_metrics:
            raise UserError(
                _("%(model)s has no hold-out metrics and cannot be activated.", model=self.name)
            )
        others = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "active"),
                ("id", "!=", self.id),
            ]
        )
        others.write({"state": "retired"})
        self.write(
            {
                "state": "active",
                "activated_by_id": self.env.uid,
                "activated_date": fields.Datetime.now(),
            }
        )

    # ------------------------------------------------------------- actions

    @api.model
    def action_train(self):
        """Button: train a model for the current cooperative."""
        check_scoring_role(self.env, _("Only loan officers and managers can train models."))
        model, message = self._kopdes_train(self.env.company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Training"),
                "message": message,
                "type": "success" if model else "warning",
                "sticky": not model,
                "next": {"type": "ir.actions.act_window_close"} if not model else False,
            },
        }

    def action_activate(self):
        """A manager activates a candidate model (e.g. after reviewing its metrics)."""
        if not self.env.user.has_group(GROUP_MANAGER) and not self.env.su:
            raise AccessError(_("Only managers (Pengurus) can activate a scoring model."))
        for model in self:
            if model.state == "active":
                continue
            if not model.has_metrics:
                raise UserError(
                    _(
                        "%(model)s has no hold-out metrics and cannot be activated.",
                        model=model.name,
                    )
                )
            scoring_system(model)._kopdes_activate()
            model.message_post(
                body=_("Activated by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_view_scores(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kopdes_scoring.kopdes_score_action")
        action["domain"] = [("model_id", "=", self.id)]
        action["context"] = {}
        return action

    # ---------------------------------------------------------------- drift

    def _kopdes_check_drift(self, as_of=None):
        """PSI of the score and of each feature between the training sample and the
        members as of ``as_of`` (the latest scores of last month and today's features).
        Warning above 0.10; above 0.25 an activity for the managers."""
        for model in scoring_system(self):
            sample = model.drift_sample or {}
            if not sample.get("score"):
                continue
            company = model.company_id
            day = as_of or model._kopdes_today(company)
            members = self.env["kopdes.member"].search(
                [("company_id", "=", company.id), ("state", "=", "active")]
            )
            frame = self.env["kopdes.scoring.feature"]._kopdes_features(
                [(member_id, day) for member_id in members.ids]
            )
            if frame.empty:
                continue
            scorecard = model._kopdes_load()
            features = [name for name in model.feature_names.split(",") if name]
            current = model_input(frame, features)
            current_scores = scorecard.score(current)
            score_psi = float(
                psi(np.array(sample["score"], dtype=float), current_scores.to_numpy(dtype=float))
            )
            per_feature = {}
            for name in features:
                expected = pd.Series(sample.get(name) or [])
                actual = current[name]
                if expected.empty:
                    continue
                try:
                    value = float(psi(expected, actual))
                except (TypeError, ValueError):
                    continue
                if not np.isnan(value):
                    per_feature[name] = round(value, 4)
            worst = max([score_psi, *per_feature.values()])
            state = "alert" if worst > PSI_ALERT else "warning" if worst > PSI_WARNING else "ok"
            model.write(
                {
                    "drift_date": day,
                    "drift_psi": score_psi,
                    "drift_features": per_feature,
                    "drift_state": state,
                }
            )
            if state == "alert":
                model._kopdes_drift_activity(score_psi, per_feature)
        return True

    def _kopdes_drift_activity(self, score_psi, per_feature):
        managers = self.env.ref(GROUP_MANAGER).users.filtered(
            lambda user: self.company_id in user.company_ids
        )
        worst = sorted(per_feature.items(), key=lambda kv: -kv[1])[:3]
        note = _(
            "The population has drifted from the training window of %(model)s (score PSI "
            "%(psi).2f; most changed: %(features)s). Review the model and retrain it.",
            model=self.name,
            psi=score_psi,
            features=", ".join(f"{name} {value:.2f}" for name, value in worst) or "-",
        )
        for user in managers[:1] or self.env.user:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Scoring drift above 0.25"),
                note=note,
                user_id=user.id,
            )

    # ----------------------------------------------------------------- crons

    @api.model
    def _cron_retrain(self):
        for company in self.env["res.company"].search([]):
            model, message = self._kopdes_train(company)
            _logger.info("scoring retrain %s: %s", company.name, message)

    @api.model
    def _cron_drift(self):
        scoring_system(self).search([("state", "=", "active")])._kopdes_check_drift()


def _stratified_split(target, share=0.3, seed=0):
    """Index labels of a stratified (train, test) split, deterministic for ``seed``."""
    rng = np.random.RandomState(seed)
    train, test = [], []
    for value in (0, 1):
        labels = np.array(target.index[target == value])
        rng.shuffle(labels)
        cut = int(round(len(labels) * share))
        test.extend(labels[:cut])
        train.extend(labels[cut:])
    return sorted(train), sorted(test)


def _jsonable_row(item):
    for value in item:
        if isinstance(value, (np.integer,)):
            yield int(value)
        elif isinstance(value, (np.floating, float)):
            yield float(value)
        else:
            yield value if isinstance(value, (int, str)) else str(value)
