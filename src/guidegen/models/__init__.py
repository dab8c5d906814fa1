"""The schemas: profile and transition template (input), Guide (personalized content)."""
