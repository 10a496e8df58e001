"""devlog: a team's daily scrum logs as searchable knowledge and a wiki."""

__version__ = "0.1.0"
