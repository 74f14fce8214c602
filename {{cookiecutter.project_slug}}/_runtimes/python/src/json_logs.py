"""Logging as one JSON object per line, the shape CloudWatch Logs Insights queries best."""

import json
import logging
import os


class JsonFormatter(logging.Formatter):
    """A record's `fields` (passed as `extra={"fields": {...}}`), its level, message and logger, and any stack trace."""

    def format(self, record: logging.LogRecord) -> str:
        # A field cannot replace the level, message or logger that every line is queried by.
        entry = {**getattr(record, "fields", {}), "level": record.levelname, "message": record.getMessage()}
        entry["logger"] = record.name
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
