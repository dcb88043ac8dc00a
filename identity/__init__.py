"""Identity linking: which documents belong to one person, with the evidence of every link.

A library with explicit arguments: it takes typed records of extracted values
(`identity.records`) and returns link decisions with their evidence. It imports
neither api nor the other stages; storage persists what it decides.
"""
