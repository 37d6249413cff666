# SPDX-License-Identifier: EUPL-1.2
"""Reading the audit log: the privacy officers' screen and API, which need users and roles."""
