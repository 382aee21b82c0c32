"""Answers whether EventBridge event patterns match events, with moto's own pattern engine.

Reads a JSON array of {"pattern": {...}, "event": {...}} from stdin and writes a JSON array of booleans,
one per pair, to stdout. A pattern EventBridge would refuse (moto's EventPatternParser) is an error naming
the pair, on stderr, with exit status 2.
"""
import json
import sys

from moto.events.models import EventPattern
from moto.events.exceptions import InvalidEventPatternException


def main() -> int:
    pairs = json.load(sys.stdin)
    answers = []
    for index, pair in enumerate(pairs):
        try:
            pattern = EventPattern.load(json.dumps(pair["pattern"]))
        except InvalidEventPatternException as error:
            print(f"pair {index}: the pattern is invalid: {error.message}", file=sys.stderr)
            return 2
        answers.append(pattern.matches_event(pair["event"]))
    json.dump(answers, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
