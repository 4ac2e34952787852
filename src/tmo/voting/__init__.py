"""Voting from abroad: seats for citizens abroad (apportionment), where their polling
stations go (p-median), the electors abroad from the store, and the stations plan."""
