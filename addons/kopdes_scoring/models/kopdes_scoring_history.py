"""A generated credit history (demo data and benchmarks), clearly marked as generated.

A cooperative that starts on Odoo brings years of paper ledgers; the demo and the benchmark
need such a history to train and time a real model: members who joined over the past
years, their monthly wajib dues and deposits, voluntary savings, loans with their
installments (paid on time, late, or never: written off) and, optionally, POS orders.
Every row is written with one INSERT per table from numpy arrays (deterministic for a
seed), so 10,000 members with a million transactions take seconds, not hours. Names say
"(contoh)" and numbers start with GEN-, loans with RIWAYAT/, so nobody mistakes them for
real members. Migrated history has no journal entries: the loans are closed or written off
and the savings transactions are history only (``origin`` "history" in their note).
"""

from datetime import date, timedelta

import numpy as np

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.kopdes_financing.tools.schedule import add_months

VILLAGES = ("Sokoduwet", "Buaran Kradenan", "Banyurip", "Jenggot", "Yosorejo", "Kuripan")
OCCUPATIONS = ("farmer", "trader", "fisher", "craftsman", "laborer", "entrepreneur")


def _month_index(day):
    return day.year * 12 + day.month - 1


def _from_index(index, day=1):
    return date(index // 12, index % 12 + 1, day)


class KopdesScoringHistory(models.AbstractModel):
    _name = "kopdes.scoring.history"
    _description = "Generated Credit History (demo and benchmark)"

    @api.model
    def _kopdes_generate(
        self,
        company,
        n_members,
        end=None,
        seed=0,
        months=48,
        shop_session=None,
        shop_product=None,
        orders_per_month=0.0,
    ):
        """Generate ``n_members`` members of ``company`` with ``months`` months of history up
        to ``end`` (last day of last month by default). Returns the new member ids."""
        rng = np.random.RandomState(seed)
        end = end or (date.today().replace(day=1) - timedelta(days=1))
        end_index = _month_index(end)
        self.env.flush_all()
        uid = self.env.uid
        cr = self.env.cr
        serial0 = self._kopdes_next_serial(company)
        serials = np.arange(serial0, serial0 + n_members)
        risk = rng.beta(1.5, 3, n_members)  # latent: 0 safe .. 1 risky
        join_offset = rng.randint(12, months + 12, n_members)
        join_index = end_index - join_offset
        names = [f"Anggota Contoh {s:05d} (contoh)" for s in serials]
        cr.execute(
            SQL(
                """
                INSERT INTO res_partner (name, complete_name, company_id, active, type,
                       is_company, autopost_bills, lang, create_uid, create_date, write_uid,
                       write_date)
                SELECT n, n, %(company)s, TRUE, 'contact', FALSE, 'ask', %(lang)s, %(uid)s,
                       NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(names)s::varchar[]) WITH ORDINALITY AS v(n, i) ORDER BY i
             RETURNING id
                """,
                company=company.id,
                lang=company.partner_id.lang or "en_US",
                uid=uid,
                names=names,
            )
        )
        partners = [row[0] for row in cr.fetchall()]
        business_types = self.env["kopdes.business.type"].search(
            ["|", ("company_id", "=", company.id), ("company_id", "=", False)]
        ).ids or [None]
        cr.execute(
            SQL(
                """
                INSERT INTO kopdes_member (partner_id, company_id, state, nik, member_number,
                       active, join_date, village, occupation, business_type_id, birth_date,
                       gender, create_uid, create_date, write_uid, write_date)
                SELECT v.partner, %(company)s, 'active', v.nik, v.number, TRUE, v.joined,
                       v.village, v.occupation, v.business_type, v.birth, v.gender,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(partners)s::int[], %(niks)s::varchar[], %(numbers)s::varchar[],
                              %(joined)s::date[], %(villages)s::varchar[],
                              %(occupations)s::varchar[], %(types)s::int[], %(births)s::date[],
                              %(genders)s::varchar[]) WITH ORDINALITY
                       AS v(partner, nik, number, joined, village, occupation, business_type,
                            birth, gender, i)
              ORDER BY v.i
             RETURNING id
                """,
                company=company.id,
                uid=uid,
                partners=partners,
                niks=[f"99{s:014d}" for s in serials],
                numbers=[f"GEN-{s:05d}" for s in serials],
                joined=[_from_index(int(i), 15) for i in join_index],
                villages=[VILLAGES[i] for i in rng.randint(0, len(VILLAGES), n_members)],
                occupations=[OCCUPATIONS[i] for i in rng.randint(0, len(OCCUPATIONS), n_members)],
                types=[business_types[i] for i in rng.randint(0, len(business_types), n_members)],
                births=[date(int(y), 6, 1) for y in rng.randint(1960, 2002, n_members)],
                genders=["female" if g else "male" for g in rng.randint(0, 2, n_members)],
            )
        )
        members = np.array([row[0] for row in cr.fetchall()])
        self._kopdes_generate_savings(company, members, risk, join_index, end_index, rng)
        self._kopdes_generate_loans(company, members, risk, join_index, end_index, rng)
        if shop_session and orders_per_month:
            self._kopdes_generate_orders(
                company,
                members,
                partners,
                risk,
                join_index,
                end_index,
                rng,
                shop_session,
                shop_product,
                orders_per_month,
            )
        self.env.invalidate_all()
        return [int(m) for m in members]

    def _kopdes_next_serial(self, company):
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(MAX(SUBSTRING(member_number FROM 5)::int), 0) + 1
                  FROM kopdes_member WHERE company_id = %s AND member_number LIKE %s
                """,
                company.id,
                "GEN-%",
            )
        )
        return self.env.cr.fetchone()[0]

    def _kopdes_generate_savings(self, company, members, risk, join_index, end_index, rng):
        """Wajib and sukarela accounts, monthly wajib dues, wajib deposits (paid on time
        unless the member is behind) and voluntary deposits and withdrawals."""
        cr = self.env.cr
        products = {
            product.kind: product
            for product in self.env["kopdes.savings.product"].search(
                [("company_id", "=", company.id), ("kind", "in", ("wajib", "sukarela"))]
            )
        }
        if len(products) < 2:
            return
        wajib, sukarela = products["wajib"], products["sukarela"]
        accounts = {}
        for kind, product in (("wajib", wajib), ("sukarela", sukarela)):
            cr.execute(
                SQL(
                    """
                    INSERT INTO kopdes_savings_account (name, company_id, member_id, product_id,
                           product_sequence, kind, state, open_date, partner_id, create_uid,
                           create_date, write_uid, write_date)
                    SELECT 'GEN-' || %(kind)s || '-' || v.m, %(company)s, v.m, %(product)s,
                           %(sequence)s, %(kind)s, 'open', v.opened, m.partner_id, %(uid)s,
                           NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                      FROM unnest(%(members)s::int[], %(opened)s::date[]) WITH ORDINALITY
                           AS v(m, opened, i)
                      JOIN kopdes_member m ON m.id = v.m
                  ORDER BY v.i
                 RETURNING id
                    """,
                    kind=kind,
                    company=company.id,
                    product=product.id,
                    sequence=product.sequence,
                    uid=self.env.uid,
                    members=members.tolist(),
                    opened=[_from_index(int(i), 15) for i in join_index],
                )
            )
            accounts[kind] = np.array([row[0] for row in cr.fetchall()])
        amount = float(wajib.amount or 10_000)
        # dues and deposits: one row per member and month since joining
        member_rows, month_rows = [], []
        for position, start in enumerate(join_index):
            span = np.arange(start + 1, end_index + 1)
            member_rows.append(np.full(len(span), position))
            month_rows.append(span)
        position = np.concatenate(member_rows) if member_rows else np.array([], int)
        month = np.concatenate(month_rows) if month_rows else np.array([], int)
        # a member pays a month's wajib with a probability that falls with the risk
        paid = rng.random_sample(len(position)) > risk[position] ** 1.5 * 0.8
        due_dates = [_from_index(int(i), 28) for i in month]
        starts = [_from_index(int(i), 1) for i in month]
        cr.execute(
            SQL(
                """
                INSERT INTO kopdes_savings_due (company_id, account_id, member_id, product_id,
                       period_start, period_label, due_date, amount, amount_paid,
                       amount_residual, state, create_uid, create_date, write_uid, write_date)
                SELECT %(company)s, v.account, v.member, %(product)s, v.start,
                       TO_CHAR(v.start, 'MM/YYYY'), v.due, %(amount)s,
                       CASE WHEN v.paid THEN %(amount)s ELSE 0 END,
                       CASE WHEN v.paid THEN 0 ELSE %(amount)s END,
                       CASE WHEN v.paid THEN 'paid' ELSE 'open' END,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(accounts)s::int[], %(members)s::int[], %(starts)s::date[],
                              %(dues)s::date[], %(paid)s::bool[])
                       AS v(account, member, start, due, paid)
                """,
                company=company.id,
                product=wajib.id,
                amount=amount,
                uid=self.env.uid,
                accounts=accounts["wajib"][position].tolist(),
                members=members[position].tolist(),
                starts=starts,
                dues=due_dates,
                paid=paid.tolist(),
            )
        )
        deposit_days = [
            _from_index(int(i), int(d))
            for i, d in zip(month[paid], rng.randint(1, 28, paid.sum()), strict=True)
        ]
        self._kopdes_insert_transactions(
            company,
            accounts["wajib"][position[paid]],
            members[position[paid]],
            "wajib",
            wajib,
            deposit_days,
            np.full(int(paid.sum()), amount),
        )
        # voluntary: a deposit most months (safe members save more), a withdrawal sometimes,
        # never more than the balance
        saves = rng.random_sample(len(position)) > 0.3 + risk[position] * 0.5
        level = np.round(rng.gamma(2.0, 150_000, len(position)) * (1.2 - risk[position]), -3)
        withdraw = rng.random_sample(len(position)) < 0.15 + risk[position] * 0.2
        signed = np.zeros(len(position))
        balance, previous = 0.0, -1
        for i in range(len(position)):
            if position[i] != previous:
                balance, previous = 0.0, position[i]
            if saves[i]:
                signed[i] = level[i]
            elif withdraw[i] and balance > 0:
                signed[i] = -min(balance, max(level[i], 1000.0))
            balance += signed[i]
        moving = signed != 0
        days = [
            _from_index(int(i), int(d))
            for i, d in zip(month[moving], rng.randint(1, 28, int(moving.sum())), strict=True)
        ]
        self._kopdes_insert_transactions(
            company,
            accounts["sukarela"][position[moving]],
            members[position[moving]],
            "sukarela",
            sukarela,
            days,
            signed[moving],
        )

    def _kopdes_opening_move(self, company, product, total, day):
        """One posted entry carrying the generated history of a savings product (cash
        against the product's account), so the ledger equals the savings accounts."""
        journal = company._kopdes_savings_cash_journal()
        Mixin = self.env["kopdes.savings.transaction"]
        label = "Saldo awal riwayat (data contoh) - " + product.name
        lines = [
            Mixin._kopdes_prepare_move_line_vals(journal.default_account_id, total, label),
            Mixin._kopdes_prepare_move_line_vals(product.account_id, -total, label),
        ]
        vals = Mixin._kopdes_prepare_move_vals(journal, day, lines, label)
        return Mixin.browse()._kopdes_make_moves([vals])

    def _kopdes_insert_transactions(self, company, accounts, members, kind, product, days, signed):
        if not len(accounts):
            return
        signed = np.asarray(signed, dtype=float)
        move = self._kopdes_opening_move(company, product, float(signed.sum()), max(days))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kopdes_savings_transaction (name, company_id, member_id, account_id,
                       product_id, kind, type, origin_type, date, amount, signed_amount, state,
                       note, move_id, create_uid, create_date, write_uid, write_date)
                SELECT 'GEN/' || %(kind)s, %(company)s, v.member, v.account, %(product)s,
                       %(kind)s, CASE WHEN v.signed >= 0 THEN 'deposit' ELSE 'withdrawal' END,
                       CASE WHEN v.signed >= 0 THEN 'deposit' ELSE 'withdrawal' END,
                       v.day, ABS(v.signed), v.signed, 'posted',
                       'Generated history (demo/benchmark)', %(move)s, %(uid)s,
                       NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(accounts)s::int[], %(members)s::int[], %(days)s::date[],
                              %(signed)s::numeric[]) AS v(account, member, day, signed)
                """,
                kind=kind,
                company=company.id,
                product=product.id,
                move=move[:1].id,
                uid=self.env.uid,
                accounts=np.asarray(accounts).tolist(),
                members=np.asarray(members).tolist(),
                days=days,
                signed=signed.tolist(),
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_savings_account a SET balance = s.total
                  FROM (SELECT account_id, SUM(signed_amount) AS total
                          FROM kopdes_savings_transaction
                         WHERE account_id = ANY(%s) AND state = 'posted'
                      GROUP BY account_id) s
                 WHERE a.id = s.account_id
                """,
                list({int(a) for a in accounts}),
            )
        )

    def _kopdes_generate_loans(self, company, members, risk, join_index, end_index, rng):
        """Closed and written-off loans of 12 monthly installments, one after the other:
        the riskier the member, the later the installments and the likelier a write-off
        within the year."""
        cr = self.env.cr
        product = self.env["kopdes.loan.product"].search(
            [("company_id", "=", company.id)], order="sequence, id", limit=1
        )
        if not product:
            return
        loans = []  # (member, start index, bad, lateness scale)
        for position, member in enumerate(members):
            start = int(join_index[position]) + int(rng.randint(3, 10))
            while start + 13 <= end_index:
                # repayment behaviour drifts per loan around the member's risk
                loan_risk = float(np.clip(risk[position] + rng.normal(0, 0.08), 0, 1))
                bad = rng.random_sample() < 1 / (1 + np.exp(-9 * (loan_risk - 0.55)))
                loans.append((int(member), start, bad, loan_risk))
                start += 13 + int(rng.randint(0, 8))
                if rng.random_sample() < 0.35 or bad:
                    break
        if not loans:
            return
        term = 12
        amounts = [float(rng.choice([1_000_000, 2_000_000, 3_000_000, 5_000_000])) for _ in loans]
        disbursed = [_from_index(start, 5) for _member, start, _bad, _r in loans]
        write_offs = [
            add_months(day, int(rng.randint(5, 11))) if bad else None
            for day, (_m, _s, bad, _r) in zip(disbursed, loans, strict=True)
        ]
        closed = [
            None if bad else add_months(day, term)
            for day, (_m, _s, bad, _r) in zip(disbursed, loans, strict=True)
        ]
        cr.execute(
            SQL(
                """
                INSERT INTO kopdes_loan (name, company_id, member_id, partner_id, village,
                       product_id, method, frequency, annual_rate, term, amount, state, purpose,
                       collateral_type, application_date, submitted_date, disbursement_date,
                       closed_date, write_off_date, write_off_reason, principal_residual,
                       note, create_uid, create_date, write_uid, write_date)
                SELECT 'RIWAYAT/' || v.i, %(company)s, v.member, m.partner_id, m.village,
                       %(product)s, %(method)s, 'monthly', %(rate)s, %(term)s, v.amount,
                       CASE WHEN v.write_off IS NULL THEN 'closed' ELSE 'written_off' END,
                       'working_capital', 'none', v.disbursed - 7, v.disbursed - 7, v.disbursed,
                       v.closed, v.write_off,
                       CASE WHEN v.write_off IS NULL THEN NULL ELSE 'Generated history' END,
                       0, '<p>Generated history (demo/benchmark)</p>', %(uid)s,
                       NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(members)s::int[], %(amounts)s::numeric[], %(disbursed)s::date[],
                              %(closed)s::date[], %(write_offs)s::date[]) WITH ORDINALITY
                       AS v(member, amount, disbursed, closed, write_off, i)
                  JOIN kopdes_member m ON m.id = v.member
              ORDER BY v.i
             RETURNING id
                """,
                company=company.id,
                product=product.id,
                method=product.method or "flat",
                rate=product.annual_rate,
                term=term,
                uid=self.env.uid,
                members=[m for m, _s, _b, _r in loans],
                amounts=amounts,
                disbursed=disbursed,
                closed=closed,
                write_offs=write_offs,
            )
        )
        loan_ids = [row[0] for row in cr.fetchall()]
        # installments: late by a lateness drawn from the loan's risk; a written-off loan
        # stops being paid some months before its write-off
        rows = {k: [] for k in ("loan", "member", "seq", "start", "due", "paid", "principal")}
        for loan_id, (member, _s, _bad, loan_risk), day, amount, write_off in zip(
            loan_ids, loans, disbursed, amounts, write_offs, strict=True
        ):
            stop = (write_off - timedelta(days=120)) if write_off else None
            for seq in range(1, term + 1):
                due = add_months(day, seq)
                late = (
                    int(rng.exponential(1 + loan_risk * 25))
                    if rng.random_sample() < (0.15 + loan_risk)
                    else 0
                )
                paid = due + timedelta(days=late)
                if stop and paid > stop:
                    paid = None
                rows["loan"].append(loan_id)
                rows["member"].append(member)
                rows["seq"].append(seq)
                rows["start"].append(add_months(day, seq - 1))
                rows["due"].append(due)
                rows["paid"].append(paid)
                rows["principal"].append(round(amount / term))
        cr.execute(
            SQL(
                """
                INSERT INTO kopdes_loan_line (loan_id, company_id, member_id, sequence,
                       schedule_version, rescheduled, period_start, due_date, principal,
                       interest, total, late_fee, interest_accrued, principal_paid,
                       interest_paid, late_fee_paid, principal_settled, interest_settled,
                       interest_receivable_settled, late_fee_settled, principal_residual,
                       interest_residual, paid_date, state, create_uid, create_date, write_uid,
                       write_date)
                SELECT v.loan, %(company)s, v.member, v.seq, 1, FALSE, v.start, v.due,
                       v.principal, 0, v.principal, 0, 0,
                       CASE WHEN v.paid IS NULL THEN 0 ELSE v.principal END, 0, 0,
                       CASE WHEN v.paid IS NULL THEN 0 ELSE v.principal END, 0, 0, 0,
                       CASE WHEN v.paid IS NULL THEN v.principal ELSE 0 END, 0, v.paid,
                       CASE WHEN v.paid IS NULL THEN 'open' ELSE 'paid' END,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(loan)s::int[], %(member)s::int[], %(seq)s::int[],
                              %(start)s::date[], %(due)s::date[], %(paid)s::date[],
                              %(principal)s::numeric[])
                       AS v(loan, member, seq, start, due, paid, principal)
                """,
                company=company.id,
                uid=self.env.uid,
                **rows,
            )
        )

    def _kopdes_generate_orders(
        self,
        company,
        members,
        partners,
        risk,
        join_index,
        end_index,
        rng,
        session,
        product,
        per_month,
    ):
        """POS orders of the members (one line each) in the last 12 months."""
        n_months = 12
        counts = rng.poisson(per_month * n_months, len(members))
        position = np.repeat(np.arange(len(members)), counts)
        if not len(position):
            return
        start = _from_index(end_index - n_months + 1, 1)
        offsets = rng.randint(0, n_months * 30, len(position))
        amounts = np.round(rng.gamma(2.0, 40_000, len(position)), -2)
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH o AS (
                    INSERT INTO pos_order (name, company_id, session_id, partner_id, state,
                           date_order, amount_tax, amount_total, amount_paid, amount_return,
                           pricelist_id, create_uid, create_date, write_uid, write_date)
                    SELECT 'GEN/' || v.i, %(company)s, %(session)s, v.partner, 'paid',
                           %(start)s::timestamp + v.offset_days * INTERVAL '1 day'
                               + INTERVAL '9 hours',
                           0, v.amount, v.amount, 0, NULL, %(uid)s, NOW() AT TIME ZONE 'UTC',
                           %(uid)s, NOW() AT TIME ZONE 'UTC'
                      FROM unnest(%(partners)s::int[], %(offsets)s::int[], %(amounts)s::numeric[])
                           WITH ORDINALITY AS v(partner, offset_days, amount, i)
                 RETURNING id, amount_total
                )
                INSERT INTO pos_order_line (order_id, product_id, name, qty, price_unit,
                       price_subtotal, price_subtotal_incl, create_uid, create_date, write_uid,
                       write_date)
                SELECT o.id, %(product)s, 'GEN', 1, o.amount_total, o.amount_total,
                       o.amount_total, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                       NOW() AT TIME ZONE 'UTC'
                  FROM o
                """,
                company=company.id,
                session=session.id,
                start=start,
                uid=self.env.uid,
                product=product.id,
                partners=[int(partners[p]) for p in position],
                offsets=offsets.tolist(),
                amounts=amounts.tolist(),
            )
        )

    @api.model
    def _kopdes_scoring_demo(self, company_ids, n_members=300):
        """Demo: a generated history of ``n_members`` members for each company, a model
        trained on it (the WoE scorecard of the library, to keep the installation short),
        scores of every active member, segments and the drift check."""
        from .kopdes_scoring_common import scoring_system

        for company in self.env["res.company"].browse(company_ids):
            env_company = self.with_company(company).with_context(
                allowed_company_ids=company.ids, tracking_disable=True
            )
            env_company._kopdes_generate(company, n_members, seed=company.id)
            Model = scoring_system(env_company.env["kopdes.scoring.model"])
            model, _message = Model._kopdes_train(company, components=("woe",))
            members = env_company.env["kopdes.member"].search(
                [("company_id", "=", company.id), ("state", "=", "active")]
            )
            scoring_system(env_company.env["kopdes.score"])._kopdes_score_members_system(
                members, None, None, "batch"
            )
            scoring_system(env_company.env["kopdes.member.segment"])._kopdes_refresh(company)
            if model:
                model._kopdes_check_drift()
