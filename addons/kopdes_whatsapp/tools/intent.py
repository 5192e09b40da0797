"""What a member's WhatsApp message asks for, free of Odoo.

:func:`classify` returns one of :data:`INTENTS`. Three steps:

1. :func:`normalize` lowercases, removes punctuation and emoji, shortens stretched letters
   (``brapaaa``), and maps everyday spellings, abbreviations and common Javanese words to
   one form (``brp`` → ``berapa``, ``sy`` → ``saya``, ``simpenan`` → ``simpanan``,
   ``piro`` → ``berapa``, ``utang`` → ``hutang``); amounts and terms become the words
   ``nominal`` and ``tenor`` (:func:`.slots.mask_slots`).
2. Rules for exact commands: ``STOP``/``BERHENTI``, ``MULAI``/``START`` and the numbers of
   the menu.
3. A scikit-learn pipeline (character n-gram and word TF-IDF, logistic regression) trained
   on the phrase set shipped in ``data/phrases_id.txt`` the first time it is needed; an
   answer below :data:`MIN_CONFIDENCE` is ``unknown``.

:func:`evaluate` trains on all phrases but every ``holdout``-th of each intent and
reports the accuracy on the phrases held out.
"""

import os
import re
import threading
import unicodedata

from . import slots

BALANCE = "balance"
INSTALLMENT = "installment"
LOAN_REMAINING = "loan_remaining"
PRODUCTS = "products"
SIMULATION = "simulation"
JOIN = "join"
MEETING = "meeting"
STAFF = "staff"
STOP = "stop"
START = "start"
UNKNOWN = "unknown"
INTENTS = (
    BALANCE,
    INSTALLMENT,
    LOAN_REMAINING,
    PRODUCTS,
    SIMULATION,
    JOIN,
    MEETING,
    STAFF,
    STOP,
    START,
    UNKNOWN,
)

# the menu the chatbot shows: number → intent
MENU = {
    "1": BALANCE,
    "2": INSTALLMENT,
    "3": LOAN_REMAINING,
    "4": PRODUCTS,
    "5": SIMULATION,
    "6": JOIN,
    "7": MEETING,
    "8": STAFF,
}

# exact commands (after normalisation)
COMMANDS = {
    "stop": STOP,
    "berhenti": STOP,
    "unsubscribe": STOP,
    "stop semua": STOP,
    "mulai": START,
    "start": START,
    "subscribe": START,
    "mulai lagi": START,
}

MIN_CONFIDENCE = 0.30

PHRASES_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "phrases_id.txt")

# spelling variants, abbreviations and Javanese → one form
VARIANTS = {
    # question words
    "brp": "berapa",
    "brapa": "berapa",
    "berapah": "berapa",
    "brpa": "berapa",
    "piro": "berapa",
    "pinten": "berapa",
    "kpn": "kapan",
    "kpan": "kapan",
    "kapn": "kapan",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "gmana": "bagaimana",
    "piye": "bagaimana",
    "pripun": "bagaimana",
    "opo": "apa",
    "napa": "apa",
    "apaan": "apa",
    "dmn": "dimana",
    "ndi": "dimana",
    # people
    "sy": "saya",
    "aku": "saya",
    "aq": "saya",
    "ak": "saya",
    "kulo": "saya",
    "kula": "saya",
    "gue": "saya",
    "gw": "saya",
    "ku": "saya",
    "min": "admin",
    "mimin": "admin",
    # savings
    "simpenan": "simpanan",
    "simpen": "simpanan",
    "smpanan": "simpanan",
    "simpnan": "simpanan",
    "simpananku": "simpanan saya",
    "tabunganku": "tabungan saya",
    "sldo": "saldo",
    "saldone": "saldo",
    "saldonya": "saldo",
    "saldoku": "saldo saya",
    "duitku": "uang saya",
    "duit": "uang",
    # loans
    "utang": "hutang",
    "utange": "hutang",
    "utangku": "hutang saya",
    "hutangku": "hutang saya",
    "utangan": "pinjaman",
    "pinjem": "pinjam",
    "pinjeman": "pinjaman",
    "minjem": "pinjam",
    "minjam": "pinjam",
    "kredit": "pinjaman",
    "angsurane": "angsuran",
    "angsuranku": "angsuran saya",
    "cicilane": "cicilan",
    "cicilannya": "cicilan",
    "angsurannya": "angsuran",
    "nyicil": "cicil",
    "mbayar": "bayar",
    "bayare": "bayar",
    "kari": "sisa",
    "kantun": "sisa",
    "isih": "masih",
    "tgl": "tanggal",
    "jth": "jatuh",
    "lunasin": "lunasi",
    # time
    "bln": "bulan",
    "sasi": "bulan",
    "thn": "tahun",
    "taun": "tahun",
    "sesok": "besok",
    "saiki": "sekarang",
    "skrg": "sekarang",
    "iki": "ini",
    # words of wanting and doing
    "mau": "ingin",
    "mo": "ingin",
    "pengen": "ingin",
    "pingin": "ingin",
    "kepingin": "ingin",
    "arep": "ingin",
    "pgn": "ingin",
    "dadi": "jadi",
    "jd": "jadi",
    "melu": "ikut",
    "dftr": "daftar",
    "daptar": "daftar",
    "daftarin": "daftar",
    "tulung": "tolong",
    "tlg": "tolong",
    "njaluk": "minta",
    "takon": "tanya",
    "ngomong": "bicara",
    "ngobrol": "bicara",
    "karo": "dengan",
    "sama": "dengan",
    "sm": "dengan",
    "dgn": "dengan",
    "dg": "dengan",
    # negation and small words
    "gak": "tidak",
    "ga": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "ndak": "tidak",
    "tdk": "tidak",
    "ora": "tidak",
    "ojo": "jangan",
    "aja": "saja",
    "jgn": "jangan",
    "maneh": "lagi",
    "lg": "lagi",
    "yg": "yang",
    "utk": "untuk",
    "buat": "untuk",
    "kl": "kalau",
    "klo": "kalau",
    "kalo": "kalau",
    "nek": "kalau",
    "yen": "kalau",
    "sdh": "sudah",
    "udah": "sudah",
    "wis": "sudah",
    "blm": "belum",
    "dong": "",
    "ya": "ya",
    "nang": "di",
    "neng": "di",
    "notif": "notifikasi",
    "wa": "whatsapp",
}

_lock = threading.Lock()
_model = None


def _strip_accents(text):
    return "".join(
        char
        for char in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(char) and (char.isascii() or char.isalnum())
    )


def normalize(text):
    """``text`` in one spelling (see the module's docstring)."""
    text = _strip_accents((text or "").lower())
    text = re.sub(r"(\w)\1{2,}", r"\1", text)  # "brapaaaa" → "brapa"
    text = re.sub(r"\b([a-z]+)2\b", r"\1 \1", text)  # "kira2" → "kira kira"
    text = slots.mask_slots(text)
    words = re.sub(r"[^\w\s]", " ", text).split()
    out = []
    for word in words:
        mapped = VARIANTS.get(word, word)
        if mapped:
            out.append(mapped)
    return " ".join(out)


def load_phrases(path=PHRASES_PATH):
    """``[(intent, phrase)]`` of the phrase file, in file order."""
    phrases = []
    intent = None
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            header = re.fullmatch(r"\[(\w+)\]", line)
            if header:
                intent = header.group(1)
                if intent not in INTENTS:
                    raise ValueError(f"unknown intent {intent!r} in {path}")
                continue
            if intent is None:
                raise ValueError(f"phrase before any [intent] header in {path}: {line!r}")
            phrases.append((intent, line))
    return phrases


def split_holdout(phrases, holdout=5):
    """(train, test): every ``holdout``-th phrase of each intent is held out."""
    train, test = [], []
    seen = {}
    for intent, phrase in phrases:
        seen[intent] = seen.get(intent, 0) + 1
        (test if seen[intent] % holdout == 0 else train).append((intent, phrase))
    return train, test


def train(phrases):
    """A fitted scikit-learn pipeline for ``[(intent, phrase)]``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    pipeline = Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True
                            ),
                        ),
                        (
                            "words",
                            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
                        ),
                    ]
                ),
            ),
            ("model", LogisticRegression(C=20.0, max_iter=2000)),
        ]
    )
    pipeline.fit([normalize(p) for _i, p in phrases], [i for i, _p in phrases])
    return pipeline


def _default_model():
    global _model  # noqa: PLW0603 (trained once per process)
    if _model is None:
        with _lock:
            if _model is None:
                _model = train(load_phrases())
    return _model


def rule(text):
    """The intent of an exact command or menu number, or ``None``."""
    normalized = normalize(text)
    if normalized in COMMANDS:
        return COMMANDS[normalized]
    stripped = re.sub(r"[^\w]", "", (text or "").strip())
    if stripped in MENU:
        return MENU[stripped]
    return None


def predict(text, model=None):
    """(intent, confidence) of the classifier alone."""
    model = model or _default_model()
    normalized = normalize(text)
    if not normalized:
        return UNKNOWN, 1.0
    probabilities = model.predict_proba([normalized])[0]
    best = probabilities.argmax()
    return str(model.classes_[best]), float(probabilities[best])


def classify(text, model=None):
    """One of :data:`INTENTS` for ``text``."""
    command = rule(text)
    if command:
        return command
    intent, confidence = predict(text, model)
    if confidence < MIN_CONFIDENCE:
        return UNKNOWN
    return intent


def evaluate(holdout=5, phrases=None):
    """Accuracy on the held-out phrases: ``{"accuracy", "total", "correct", "errors",
    "per_intent"}`` where ``errors`` lists ``(phrase, expected, got)``."""
    phrases = phrases or load_phrases()
    train_set, test_set = split_holdout(phrases, holdout)
    model = train(train_set)
    errors = []
    per_intent = {}
    for expected, phrase in test_set:
        got = classify(phrase, model)
        ok, total = per_intent.get(expected, (0, 0))
        per_intent[expected] = (ok + (got == expected), total + 1)
        if got != expected:
            errors.append((phrase, expected, got))
    correct = len(test_set) - len(errors)
    return {
        "accuracy": correct / len(test_set) if test_set else 0.0,
        "total": len(test_set),
        "correct": correct,
        "errors": errors,
        "per_intent": {k: v[0] / v[1] for k, v in per_intent.items()},
    }
