class BadgeError(Exception):
    """A refused badge operation: machine `code`, translated `message`, and the form
    `field` at fault when there is one."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class TravelError(Exception):
    """A refused travel operation: machine `code`, translated `message`, and the form
    `field` at fault when there is one."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
