"""JSON that writes lazily translated strings (vocabulary labels, form and error messages
made at import time with lazy_gettext) in the request's language."""
from flask.json.provider import DefaultJSONProvider
from flask_babel.speaklater import LazyString


class LazyAwareJSONProvider(DefaultJSONProvider):
    @staticmethod
    def default(o):
        if isinstance(o, LazyString):
            return str(o)
        return DefaultJSONProvider.default(o)
