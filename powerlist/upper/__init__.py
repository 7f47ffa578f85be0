"""Upper-level lists (issue 13): the provincial 行政许可事项清单 a city or county compiles its own
from (国办发〔2022〕2号). ``load`` reads upper catalogues (folders in the catalogue format),
``index`` holds their items by 基本编码 and by name-and-category key (:mod:`powerlist.matchkey`)
and matches a local catalogue against them once, ``province`` tells which province a catalogue
or an instrument belongs to. The U checks (:mod:`powerlist.checks.upper`) read the index from
``Catalog.upper``; ``fromimport`` turns a spreadsheet the importer reads into upper items.

The submodules never import this package."""
