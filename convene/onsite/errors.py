class BadgeError(Exception):
    """A refused badge operation: machine `code`, translated `message`, and the form
    `field` at fault when there is one."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class VisaLetterError(Exception):
    """A refused visa letter operation: machine `code` and translated `message`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
