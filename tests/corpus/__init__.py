"""A corpus of administrative documents drafter did not write (issue 17, point 5).

:mod:`tests.corpus.builders` renders real documents with python-docx, laid out the
way offices lay them out (independently of drafter's renderer and templates);
:mod:`tests.corpus.departures` makes one departure per checker rule from them;
:mod:`tests.corpus.report` prints the table caught / false alarms / fixed.
Nothing generated here is committed: the tests build it into a temporary folder.
"""
