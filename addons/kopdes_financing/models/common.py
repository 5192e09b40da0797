def kopdes_is_posting(env):
    """Whether ``env`` belongs to the financing posting code: superuser mode (``sudo()``)
    with the ``kopdes_loan_posting`` context key. A context key alone can be sent by any
    client, so it never suffices."""
    return env.su and bool(env.context.get("kopdes_loan_posting"))


def kopdes_system(records):
    """``records`` as the posting code writes them."""
    return records.sudo().with_context(kopdes_loan_posting=True)
