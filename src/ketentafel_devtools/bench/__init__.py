# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel bench`: a generated dataset and the measurements run on it.

`generate` fills a claimed benchmark database (`guard`) with a region, staff, cases, items,
meetings and actions; `measure` times calls; every other module here is a section that
registers one measuring function with `registry.register` (docs/performance.md).
"""
