"""Pension portability across borders (issue #20): the rules of coordination agreements and
national schemes as cited data (rules/), a career of insurance periods, the calculator that
applies totalisation and pro-rata rules to it and explains every step, "what if"
comparisons, and the migrants an agreement concerns (from the store's UN DESA stocks)."""
