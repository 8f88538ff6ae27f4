class PracticeError(Exception):
    """A refused operation on a good practice: machine `code`, translated `message`."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
