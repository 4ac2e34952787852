"""Tests of tmo.voting: apportionment, p-median, electors abroad, the stations plan."""
