"""Reading the sales mailbox: pure parsing of raw mail (no Django, no sockets); the shell is leads/mailbox_poll.py."""
