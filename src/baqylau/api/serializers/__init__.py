"""What the API reads and writes. Reference data is named by code, plan items by id (and code).

One module per domain; the names are re-exported here for ``api/views.py`` and ``api/schema.py``.
"""

from .base import (
    DATE_MAX,
    DATE_MIN,
    ApiDateField,
    ApiDecimalField,
    ConflictChangeSerializer,
    ConflictSerializer,
    ErrorSerializer,
    StrictInputMixin,
    StrictModelSerializer,
    VersionedInputMixin,
    code_field,
)
from .indicators import ActualSerializer, IndicatorSerializer, TargetSerializer
from .instructions import (
    DeadlineChangeInputSerializer,
    DeadlineChangeSerializer,
    EventSerializer,
    InstructionJudgementSerializer,
    InstructionSerializer,
)
from .plans import (
    FacilitySerializer,
    MeasureJudgementSerializer,
    MeasureSerializer,
    MeasureUpdateSerializer,
    PlanSerializer,
)
from .reference import AgencySerializer, FacilityKindSerializer, SphereSerializer, TerritorySerializer
from .reports import (
    AttachmentSerializer,
    ReportActualSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReportUpdateSerializer,
    ReportValueSerializer,
    ReportValuesMixin,
    ReturnSerializer,
    SubmitSerializer,
    TransitionSerializer,
)

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "ActualSerializer",
    "AgencySerializer",
    "ApiDateField",
    "ApiDecimalField",
    "AttachmentSerializer",
    "ConflictChangeSerializer",
    "ConflictSerializer",
    "DeadlineChangeInputSerializer",
    "DeadlineChangeSerializer",
    "ErrorSerializer",
    "EventSerializer",
    "FacilityKindSerializer",
    "FacilitySerializer",
    "IndicatorSerializer",
    "InstructionJudgementSerializer",
    "InstructionSerializer",
    "MeasureJudgementSerializer",
    "MeasureSerializer",
    "MeasureUpdateSerializer",
    "PlanSerializer",
    "ReportActualSerializer",
    "ReportCreateSerializer",
    "ReportSerializer",
    "ReportUpdateSerializer",
    "ReportValueSerializer",
    "ReportValuesMixin",
    "ReturnSerializer",
    "SphereSerializer",
    "StrictInputMixin",
    "StrictModelSerializer",
    "SubmitSerializer",
    "TargetSerializer",
    "TerritorySerializer",
    "TransitionSerializer",
    "VersionedInputMixin",
    "code_field",
]
