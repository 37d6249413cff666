# SPDX-License-Identifier: EUPL-1.2
"""Development tools: the demo and the benchmark, with the synthetic data they generate.

Installed by the development, test and benchmark settings only, and not part of the
distribution a production install gets (pyproject.toml), so no production database holds
their table and no production install can run them.
"""
