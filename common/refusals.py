class Refused(Exception):
    """A service refuses a step as a whole, with its Dutch reasons (a ValidationError names fields instead).

    `on_form`: the page shows the reasons above the form, keeping what the user typed; otherwise (the case
    changed meanwhile, a transition's guard) it goes back with the reasons as a message."""

    on_form = True
    lead = ""  # put before the reasons in the message, e.g. "Dit kan nog niet: "

    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__(" ".join(self.reasons))

    @property
    def message(self) -> str:
        return self.lead + " ".join(self.reasons)
