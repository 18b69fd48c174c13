"""The grant year after the shortlist: the ledger, the tactical pot's gates, the status on a date, the close-out.

One direction of flow, as for a round: :func:`~engine.year.ledger.load_ledger`
reads and checks a ledger against its round; :func:`~engine.year.ledger.replay`
gives the state of the year on a date; :func:`~engine.year.gates.pot_on` says
whether the tactical pot is locked, open or closed and why;
:func:`~engine.year.status.status_on`, :func:`~engine.year.bids.screen_bids` and
:func:`~engine.year.closeout.close_out` are what ``crg status``, ``crg
tactical`` and ``crg closeout`` print.
"""
