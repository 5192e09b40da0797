"""QRIS at the teller and the bank agent counter on one cooperative (set up once)."""

from odoo.tests import tagged

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon

from .cases_bank_agent import BankAgentTests
from .cases_qris_teller import QrisTellerTests


@tagged("post_install", "-at_install")
class TestKopdesBank(QrisTellerTests, BankAgentTests, KopdesFinancingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_qris()
        cls._setup_agent()
