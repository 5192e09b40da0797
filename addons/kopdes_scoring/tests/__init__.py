from . import test_scoring_features
