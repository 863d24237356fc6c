"""thinktwice: the shared core that judges drafts, decides nudges and answers policy questions.

It knows nothing of Slack or Teams; adapters call `Thinktwice` and render what it returns.
"""

__version__ = "0.1.0"
