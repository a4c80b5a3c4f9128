"""drafter: Vietnamese administrative drafts in Word, laid out as Nghị định 30/2020/NĐ-CP requires."""

__version__ = "0.1.0"
