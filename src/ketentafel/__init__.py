# SPDX-License-Identifier: EUPL-1.2
"""Ketentafel: case and privacy management for the Zorg- en Veiligheidshuizen."""

__version__ = "0.1.0"
