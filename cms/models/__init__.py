"""Page types of the Virtual Centre, one module per section.

The tree: HomePage → ResourceIndexPage (/resources/) → one section index per section → its
resource pages; HomePage → EventIndexPage (/events/) → EventPage; HomePage → FundingIndexPage
(/funding/) → FundingCallPage. Section pages that show another app's content (the training
catalogue, the working groups) are defined in that app with
``parent_page_types = ["cms.ResourceIndexPage"]``.

Everything is re-exported here, so ``from cms.models import StoryPage`` keeps working and
migrations keep their references (``cms.models.LanguageSwitchMixin``).
"""

from .base import (
    INTRO_FEATURES,
    LISTING_PAGE_SIZE,
    CachedViewRestrictionsMixin,
    LanguageSwitchMixin,
    RegionalPageMixin,
    Topic,
)
from .events import TIME_ZONES, EventIndexPage, EventPage, EventQuestion, RegistrationMode
from .funding import FundingCallPage, FundingIndexPage
from .home import HomePage, LegalPage, LegalPageKind, ResourceIndexPage
from .legislation import LegislationIndexPage, LegislationPage, celex_validator
from .newsletters import NewsletterIndexPage, NewsletterIssuePage
from .research import ResearchCreator, ResearchIndexPage, ResearchPage, doi_validator
from .sections import (
    ResourcePage,
    SectionIndexPage,
    SectionPanelsIndexPage,
    TrainingIndexPage,
    WorkingGroupsIndexPage,
)
from .stories import StoryGalleryImage, StoryIndexPage, StoryPage
from .technologies import TRL_DESCRIPTIONS, TechnologyIndexPage, TechnologyPage

__all__ = [
    "INTRO_FEATURES",
    "LISTING_PAGE_SIZE",
    "TIME_ZONES",
    "TRL_DESCRIPTIONS",
    "CachedViewRestrictionsMixin",
    "EventIndexPage",
    "EventPage",
    "EventQuestion",
    "FundingCallPage",
    "FundingIndexPage",
    "HomePage",
    "LanguageSwitchMixin",
    "LegalPage",
    "LegalPageKind",
    "LegislationIndexPage",
    "LegislationPage",
    "NewsletterIndexPage",
    "NewsletterIssuePage",
    "RegionalPageMixin",
    "RegistrationMode",
    "ResearchCreator",
    "ResearchIndexPage",
    "ResearchPage",
    "ResourceIndexPage",
    "ResourcePage",
    "SectionIndexPage",
    "SectionPanelsIndexPage",
    "StoryGalleryImage",
    "StoryIndexPage",
    "StoryPage",
    "TechnologyIndexPage",
    "TechnologyPage",
    "Topic",
    "TrainingIndexPage",
    "WorkingGroupsIndexPage",
    "celex_validator",
    "doi_validator",
]
