"""The durable outbox: every e-mail the site sends, and every background job that could not be
handed to the broker, is a database row first (written in the caller's transaction), and is
delivered from there with retries and back-off. See docs/outbox.md."""
