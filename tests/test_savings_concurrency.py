"""Two tellers withdraw from the same simpanan sukarela account at the same moment.

Real concurrency: two threads, each with its own database connection and transaction,
committing for real, as two Odoo HTTP workers would (``odoo.service.model.retrying`` is
the same retry loop Odoo wraps every request in). The data the tellers work on is
committed first and removed afterwards: the test leaves the database as it found it.
"""

import threading
import time

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

TABLES = (
    "account_move",
    "account_move_line",
    "kopdes_savings_transaction",
    "kopdes_savings_account",
    "kopdes_member",
    "res_partner",
    "mail_message",
    "mail_followers",
)


@tagged("post_install", "-at_install")
class TestSavingsConcurrentWithdrawals(BaseCase):
    AMOUNT = 70000.0
    DEPOSIT = 100000.0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = get_db_name()
        cls.registry = Registry(cls.db)

    def setUp(self):
        super().setUp()
        self.counts_before = self._table_counts()
        with self._env() as env:
            product = env["kopdes.savings.product"].search([("kind", "=", "sukarela")], limit=1)
            if not product:
                self.skipTest("no cooperative with savings products in this database")
            company = product.company_id
            env = env(context={"allowed_company_ids": company.ids, "tracking_disable": True})
            self.sequence = company._kopdes_member_sequence()
            self.member_number_next = self.sequence.number_next_actual
            self.savings_sequence = company._kopdes_savings_transaction_sequence()
            self.savings_number_next = self.savings_sequence.number_next_actual
            member = env["kopdes.member"].create(
                {
                    "name": "Teller Race Test",
                    "nik": "3375040101709999",
                    "company_id": company.id,
                    "state": "active",
                }
            )
            account = member._kopdes_savings_account("sukarela", create=True)
            account._kopdes_deposit(self.DEPOSIT)
            self.company_id = company.id
            self.member_id = member.id
            self.partner_id = member.partner_id.id
            self.account_id = account.id
            env.cr.commit()
        self.addCleanup(self._cleanup)

    # -------------------------------------------------------------- helpers

    def _env(self):
        """A fresh cursor of its own (a real connection) and a superuser environment."""
        return _EnvContext(self.registry)

    def _table_counts(self):
        with sql_db.db_connect(self.db).cursor() as cr:
            counts = {}
            for table in TABLES:
                cr.execute(f"SELECT COUNT(*) FROM {table}")
                counts[table] = cr.fetchone()[0]
            return counts

    def _cleanup(self):
        with sql_db.db_connect(self.db).cursor() as cr:
            cr.execute(
                "SELECT id, move_id FROM kopdes_savings_transaction WHERE account_id = %s",
                [self.account_id],
            )
            rows = cr.fetchall()
            tx_ids = [row[0] for row in rows] or [0]
            move_ids = [row[1] for row in rows if row[1]] or [0]
            for model, ids in (
                ("account.move", move_ids),
                ("kopdes.savings.transaction", tx_ids),
                ("kopdes.savings.account", [self.account_id]),
                ("kopdes.member", [self.member_id]),
                ("res.partner", [self.partner_id]),
            ):
                cr.execute(
                    "DELETE FROM mail_message WHERE model = %s AND res_id = ANY(%s)", [model, ids]
                )
                cr.execute(
                    "DELETE FROM mail_followers WHERE res_model = %s AND res_id = ANY(%s)",
                    [model, ids],
                )
            cr.execute("DELETE FROM kopdes_savings_due WHERE account_id = %s", [self.account_id])
            cr.execute("DELETE FROM kopdes_savings_transaction WHERE id = ANY(%s)", [tx_ids])
            cr.execute("DELETE FROM account_move_line WHERE move_id = ANY(%s)", [move_ids])
            cr.execute("DELETE FROM account_move WHERE id = ANY(%s)", [move_ids])
            cr.execute("DELETE FROM kopdes_savings_account WHERE member_id = %s", [self.member_id])
            cr.execute("DELETE FROM kopdes_member WHERE id = %s", [self.member_id])
            cr.execute("DELETE FROM res_partner WHERE id = %s", [self.partner_id])
            cr.commit()
        with self._env() as env:
            env["ir.sequence"].browse(self.sequence.id).number_next = self.member_number_next
            env["ir.sequence"].browse(
                self.savings_sequence.id
            ).number_next = self.savings_number_next
            env.cr.commit()
        self.assertEqual(self._table_counts(), self.counts_before)

    def _teller(self, results, name, before_commit=None, start=None):
        """One teller in a thread: withdraw AMOUNT, with Odoo's retry on serialization errors."""
        attempts = []

        def withdraw(env):
            attempts.append(time.monotonic())
            account = env["kopdes.savings.account"].browse(self.account_id)
            tx = account._kopdes_withdraw(self.AMOUNT, ref=name)
            if before_commit:
                before_commit()
            return tx.id

        with self._env() as env:
            env = env(context={"allowed_company_ids": [self.company_id]})
            if start:
                start()
            try:
                results[name] = ("posted", retrying(lambda: withdraw(env), env))
            except UserError as err:
                results[name] = ("refused", str(err))
            except Exception as err:
                results[name] = ("error", repr(err))
            results[f"{name}_attempts"] = len(attempts)

    def _wait_for_blocked_lock(self, timeout):
        """The query of a backend of this database waiting for a row lock, if any."""
        deadline = time.monotonic() + timeout
        with sql_db.db_connect(self.db).cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute(
                    """
                    SELECT query FROM pg_stat_activity
                     WHERE datname = current_database() AND wait_event_type = 'Lock'
                       AND query ILIKE '%%kopdes_savings_account%%'
                    """
                )
                row = cr.fetchone()
                if row:
                    return row[0]
                cr.rollback()
                time.sleep(0.05)
        return None

    def _final_state(self):
        with self._env() as env:
            account = env["kopdes.savings.account"].browse(self.account_id)
            posted = env["kopdes.savings.transaction"].search(
                [("account_id", "=", account.id), ("state", "=", "posted")]
            )
            lines = posted.move_id.line_ids.filtered(
                lambda line: line.account_id == account.product_id.account_id
            )
            return {
                "balance": account.balance,
                "sum_posted": sum(posted.mapped("signed_amount")),
                "withdrawals": len(posted.filtered(lambda t: t.type == "withdrawal")),
                "ledger": -sum(lines.mapped("balance")),
            }

    # ---------------------------------------------------------------- tests

    def test_second_teller_waits_and_is_refused(self):
        """Teller A posts and is slow to commit; teller B's withdrawal waits for A's lock,
        then sees A's withdrawal (after Odoo's retry) and is refused: never below zero."""
        posted = threading.Event()
        b_waits = threading.Event()
        results = {}

        def slow_commit():
            posted.set()
            # teller A's transaction stays open, holding the lock, until teller B is seen
            # waiting on it (however long B takes to get there on a loaded machine)
            b_waits.wait(30)

        teller_a = threading.Thread(target=self._teller, args=(results, "A", slow_commit))
        teller_b = threading.Thread(
            target=self._teller, args=(results, "B"), kwargs={"start": lambda: posted.wait(30)}
        )
        teller_a.start()
        teller_b.start()
        posted.wait(30)
        blocked_query = self._wait_for_blocked_lock(timeout=30)
        b_waits.set()
        teller_a.join(60)
        teller_b.join(60)
        # B was blocked on the account row lock, before reading any balance
        self.assertIn("FOR NO KEY UPDATE", blocked_query or "", "teller B never waited on the lock")
        self.assertIn("kopdes_savings_account", blocked_query)
        self.assertEqual(results["A"][0], "posted", results)
        self.assertEqual(results["B"][0], "refused", results)
        self.assertIn("not enough", results["B"][1])
        # B's first attempt, which waited for A's lock, was thrown away and retried
        self.assertEqual(results["B_attempts"], 2, results)
        state = self._final_state()
        self.assertEqual(state["withdrawals"], 1)
        self.assertEqual(state["balance"], self.DEPOSIT - self.AMOUNT)
        self.assertEqual(state["sum_posted"], state["balance"])
        self.assertEqual(state["ledger"], state["balance"])

    def test_simultaneous_withdrawals(self):
        """Both tellers press Post at the same instant: exactly one withdrawal goes through."""
        barrier = threading.Barrier(2)
        results = {}
        threads = [
            threading.Thread(
                target=self._teller, args=(results, name), kwargs={"start": barrier.wait}
            )
            for name in ("A", "B")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        outcomes = sorted(results[name][0] for name in ("A", "B"))
        self.assertEqual(outcomes, ["posted", "refused"], results)
        state = self._final_state()
        self.assertEqual(state["withdrawals"], 1)
        self.assertEqual(state["balance"], self.DEPOSIT - self.AMOUNT)
        self.assertEqual(state["ledger"], state["balance"])


class _EnvContext:
    """``with _EnvContext(registry) as env``: a superuser environment on a new real cursor,
    closed (and rolled back if not committed) at the end."""

    def __init__(self, registry):
        self.registry = registry
        self.cr = None

    def __enter__(self):
        self.cr = sql_db.db_connect(self.registry.db_name).cursor()
        return api.Environment(self.cr, SUPERUSER_ID, {})

    def __exit__(self, exc_type, exc, tb):
        self.cr.close()
        return False
