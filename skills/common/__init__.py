"""What every voicecart capability shares: the context handed to handlers, identity, speech, persistence."""
