from odoo.tests import tagged

from .common import KopdesScoringCommon
from .test_scoring_features import ScoringFeatureChecks
from .test_scoring_segments import ScoringSegmentChecks
from .test_scoring_workflow import ScoringWorkflowChecks


@tagged("post_install", "-at_install")
class TestScoring(
    ScoringFeatureChecks, ScoringWorkflowChecks, ScoringSegmentChecks, KopdesScoringCommon
):
    """All the Odoo-side checks of the scoring share one cooperative (one set-up)."""
