"""People named in a log: mentors, speakers, teammates, as teams write them in Korean and English.

Patterns: `David의 조언`, `David zoom 미팅`, `멘토 Jenny`, `Jenny 멘토`, `Tony님`, `@minji`.
Pure and conservative: a title alone (`강사님`, `멘토님`) is not a person.
"""

from __future__ import annotations

import re

# A Korean word ending like this is a noun with its particle ("격주로 멘토링"), not a name.
_PARTICLE_ENDS = set("로를을에의는은가와과도서")
_LATIN_NAME = r"[A-Z][a-zA-Z]{1,20}"
_PATTERNS = [
    re.compile(
        rf"\b({_LATIN_NAME})(?:의|가|는|이|님|와|과|에게|께서|\s*(?:멘토|강사|코치)|\s+(?:zoom|줌)?\s*(?:미팅|회의|멘토링|특강|세션))"
    ),
    re.compile(rf"(?:멘토|강사|코치)\s*({_LATIN_NAME})(?![a-zA-Z])"),
    re.compile(r"(?:멘토|강사|코치)\s+([가-힣]{2,4})(?![가-힣])"),
    re.compile(r"(?<![가-힣])([가-힣]{2,3})(?:\s*(?:멘토|강사|코치|매니저)(?!링)|님)"),
    re.compile(r"(?<![\w@])@([A-Za-z가-힣][\w.-]{1,30})"),
]
# Words that the patterns catch but that are roles, pronouns or common nouns, not people.
_NOT_NAMES = {
    "멘토",
    "강사",
    "코치",
    "선생",
    "교수",
    "매니저",
    "선배",
    "팀장",
    "팀원",
    "우리",
    "저희",
    "제가",
    "모두",
    "다른",
    "미팅",
    "회의",
    "특강",
    "세션",
    "멘토링",
    "현직자",
    "담당",
    "담당자",
    "개발자",
    "운영진",
    "튜터",
    "오늘",
    "이번",
    "다음",
    "전체",
    "각자",
    "고객",
    "사용자",
    "The",
    "This",
    "That",
    "Our",
    "We",
    "My",
    "AI",
    "API",
    "GPU",
    "CPU",
    "Zoom",
    "Google",
    "Kakao",
    "Naver",
    "Trainer",
    "Model",
    "Server",
    "Client",
    "Python",
    "Label",
    "Studio",
    "Wiki",
    "Figma",
    "Notion",
    "Slack",
    "Docker",
    "Redis",
    "React",
    "FastAPI",
    "GitHub",
    "Git",
    "AWS",
    "GCP",
}


def find_people(text: str) -> list[str]:
    """Names in `text`, in order of first appearance."""
    found: dict[str, None] = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            name = match.group(1)
            if name in _NOT_NAMES or name.isupper() or (name[-1] in _PARTICLE_ENDS and not name.isascii()):
                continue
            found.setdefault(name, None)
    return list(found)
