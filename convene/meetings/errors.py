class MeetingError(Exception):
    """A refused meeting operation: `code` for machines, `message` translated for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
