"""What the same questions cost without treaty-dsl: hand-written z3py, and the peer tool Deolingo."""
