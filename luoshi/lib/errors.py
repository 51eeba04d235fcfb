"""The one error a workflow raises when it refuses: its message is Chinese and says what to fix."""


class ActionError(Exception):
    """A refused action. Views show `message`; the API answers it as JSON with status `status`."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class AlreadySubmitted(ActionError):
    """The same form came twice (a double click): the first did the work, the second does nothing."""

    status = 409
