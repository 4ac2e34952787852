"""Tests of tmo.pensions (issue #20)."""
