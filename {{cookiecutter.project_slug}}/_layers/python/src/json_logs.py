"""Logging as one JSON object per line, the shape CloudWatch Logs Insights queries best."""

import json
import logging
import os

# Lambda's application log level filter knows TRACE, DEBUG, INFO, WARN, ERROR and FATAL: Python's two other
# names are written as Lambda's, so that a warning is filtered as a warning.
LAMBDA_LEVEL_NAMES = {"WARNING": "WARN", "CRITICAL": "FATAL"}


class JsonFormatter(logging.Formatter):
    """A record's level, message and logger, its `fields` (passed as `extra={"fields": {...}}`) and any stack trace."""

    def format(self, record: logging.LogRecord) -> str:
        level = LAMBDA_LEVEL_NAMES.get(record.levelname, record.levelname)
        entry = {"level": level, "message": record.getMessage(), "logger": record.name}
        # A field cannot replace the level, message or logger that every line is queried by.
        entry |= {key: value for key, value in getattr(record, "fields", {}).items() if key not in entry}
        if record.exc_info:
            entry["stackTrace"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_logger(name: str) -> logging.Logger:
    """A logger writing JSON lines to stderr at LOG_LEVEL (INFO by default).

    It does not propagate, so the runtime's own root handler (text or JSON, per the function's log format)
    does not log each line a second time.
    """
    logger = logging.getLogger(name)
    logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
    if not logger.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(JsonFormatter())
        logger.addHandler(stream)
        logger.propagate = False
    return logger
