"""Load fieldaudit's OSCAL export with compliance-trestle's models.

Usage: validate.py RESULTS.json PLAN.json SSP.json
Exits 1, naming the file and the error, if any document does not validate.
"""
import pathlib
import sys

from trestle.oscal.assessment_plan import AssessmentPlan
from trestle.oscal.assessment_results import AssessmentResults
from trestle.oscal.ssp import SystemSecurityPlan


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for model, name in zip((AssessmentResults, AssessmentPlan, SystemSecurityPlan), argv[1:]):
        path = pathlib.Path(name)
        try:
            doc = model.oscal_read(path)
            if doc is None:
                raise ValueError('not found')
        except Exception as e:  # trestle raises its own and pydantic's errors
            print(f'{path}: {type(e).__name__}: {e}', file=sys.stderr)
            failed = True
        else:
            print(f'{path}: valid {model.__name__}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
