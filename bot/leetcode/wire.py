"""LeetCode's GraphQL wire format: the query documents and the response shapes.

The shapes are pydantic models validated against each response, so a missing or mistyped
field is a :class:`pydantic.ValidationError` (turned into ``BadResponse`` by the client),
never a ``KeyError``. Extra fields are ignored. Internal to :mod:`bot.leetcode`.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

MAX_UNIX_SECONDS: Final = 253_402_300_799  # 9999-12-31T23:59:59Z

# --- GraphQL documents -------------------------------------------------------------------

COM_RECENT_AC: Final = """query recentAcSubmissions($username: String!, $limit: Int!) {
  recentAcSubmissionList(username: $username, limit: $limit) { id title titleSlug timestamp lang }
}"""
CN_RECENT_AC: Final = """query recentACSubmissions($userSlug: String!) {
  recentACSubmissions(userSlug: $userSlug) {
    submissionId submitTime question { title translatedTitle titleSlug questionFrontendId }
  }
}"""
QUESTION: Final = """query questionTitle($titleSlug: String!) {
  question(titleSlug: $titleSlug) { questionFrontendId title titleSlug difficulty }
}"""
COM_PROFILE: Final = """query userPublicProfile($username: String!) {
  matchedUser(username: $username) { username profile { realName aboutMe } }
}"""
CN_PROFILE: Final = """query userPublicProfile($userSlug: String!) {
  userProfilePublicProfile(userSlug: $userSlug) { profile { realName aboutMe } }
}"""


# --- response shapes ---------------------------------------------------------------------


class Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


Id = StrictStr | StrictInt
Slug = Annotated[str, Field(min_length=1)]
Unix = Annotated[int, Field(ge=0, le=MAX_UNIX_SECONDS)]  # lax: the site may send "1700000000"


class GraphQLError(Shape):
    message: str = ""


class Envelope(Shape):
    data: dict[str, Any] | None = None
    errors: list[GraphQLError] | None = None


class ComAccepted(Shape):
    id: Id
    title: str
    titleSlug: Slug
    timestamp: Unix
    lang: str | None


class ComRecentData(Shape):
    recentAcSubmissionList: list[ComAccepted] | None


class CnQuestionRef(Shape):
    title: str
    translatedTitle: str | None = None
    titleSlug: Slug
    questionFrontendId: Id


class CnAccepted(Shape):
    submissionId: Id
    submitTime: Unix
    question: CnQuestionRef


class CnRecentData(Shape):
    recentACSubmissions: list[CnAccepted] | None


class QuestionNode(Shape):
    questionFrontendId: Id
    title: str
    titleSlug: Slug
    difficulty: str


class QuestionData(Shape):
    question: QuestionNode | None


class Profile(Shape):
    realName: str | None
    aboutMe: str | None


class ComMatchedUser(Shape):
    username: str
    profile: Profile


class ComProfileData(Shape):
    matchedUser: ComMatchedUser | None


class CnPublicProfile(Shape):
    profile: Profile


class CnProfileData(Shape):
    userProfilePublicProfile: CnPublicProfile | None
