"""Generate a realistic synthetic devlog workspace for benchmarks.

    python bench/generate.py OUT_DIR [--days 10000] [--seed 7] [--authors 4]

Writes ``OUT_DIR/devlog.toml`` and one markdown entry per work day under
``OUT_DIR/entries/``.  Stdlib only; never imports ``devlog``.

Layout
    * Days are consecutive work days (Mon-Fri) ending on 2025-06-30.
    * Authors rotate day by day, anchored on the newest day: the newest entry is
      written by the first author.  The first author writes
      ``entries/YYYY-MM-DD.md``, every other author ``entries/<author>/YYYY-MM-DD.md``.

Shapes (per author roughly 75 % the Korean team scrum format of
shared/reference/2025-04-10.md; the rest are other real-world shapes: English
standup notes, ``## 🔖 N. topic`` dev logs, ``# Day N - topic`` logs, YAML front
matter, nested checkbox plans, a ``## YYYY-MM-DD`` / ``### 1. Yesterday`` scrum,
and numbered ``# 1. topic`` notes).  Every file contains its calendar date in
some spelling (2025-06-30, 2025.06.30, 250630, 30 June 2025, ...).

Carry-over: the "done yesterday" list of an entry (어제 완료된 업무, Yesterday,
어제 한 일, Done) repeats, item for item, the plan items of the same author's
previous entry (4 work days earlier with 4 authors).  Every entry shows its own
plan (오늘 진행할 업무, Today Todo, ## Todo, 앞으로 할 일, 다음에 할 일, ...).

Determinism: each entry is drawn from its own ``random.Random`` seeded with
(seed, date, author), so output is byte-identical for the same arguments and an
entry for a given date/author does not depend on ``--days``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

LAST_DAY = dt.date(2025, 6, 30)
AUTHOR_NAMES = ["minji", "alex", "sora", "jihoon", "yuna", "daniel", "hana", "seojun"]
TOML = '[workspace]\nname = "synthetic"\n'

KO_WEEKDAYS = "월화수목금토일"
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# --------------------------------------------------------------------------
# vocabularies
# --------------------------------------------------------------------------

# tech -> concepts that belong to it (keeps sentences roughly coherent)
TECH: dict[str, list[str]] = {
    "Docker": [
        "multi-stage build",
        "volume mount",
        "bridge network",
        "layer cache",
        "healthcheck",
        ".dockerignore",
        "compose profile",
        "이미지 용량 최적화",
    ],
    "FastAPI": [
        "Depends 의존성 주입",
        "Pydantic 모델 검증",
        "BackgroundTasks",
        "lifespan 이벤트",
        "APIRouter 분리",
        "async 엔드포인트",
        "CORS middleware",
        "OpenAPI 문서 자동 생성",
    ],
    "React": [
        "useEffect 의존성 배열",
        "useMemo",
        "React Query 캐시",
        "상태 끌어올리기",
        "Suspense",
        "key prop",
        "Context API",
        "커스텀 훅",
    ],
    "Next.js": [
        "SSR과 SSG 차이",
        "App Router",
        "middleware",
        "이미지 최적화",
        "API Routes",
        "동적 라우팅",
        "ISR 재검증",
    ],
    "Kubernetes": [
        "Deployment rollout",
        "HPA",
        "ConfigMap",
        "liveness probe",
        "Ingress",
        "PVC",
        "namespace 분리",
        "resource limit",
    ],
    "PyTorch": [
        "DataLoader num_workers",
        "mixed precision(AMP)",
        "gradient accumulation",
        "torch.compile",
        "checkpoint 저장",
        "CUDA OOM 대응",
        "learning rate scheduler",
    ],
    "GPU": [
        "VRAM 사용량",
        "CUDA 버전 호환",
        "nvidia-smi 모니터링",
        "배치 크기 조정",
        "MIG 분할",
        "spot 인스턴스",
        "GPU 신청 절차",
    ],
    "Spring Boot": [
        "JPA 지연 로딩",
        "@Transactional 범위",
        "Bean Validation",
        "Security Filter Chain",
        "Entity 연관관계",
        "ControllerAdvice 예외 처리",
    ],
    "PostgreSQL": ["인덱스 설계", "EXPLAIN ANALYZE", "VACUUM", "트랜잭션 격리 수준", "JSONB 컬럼", "connection pool"],
    "MySQL": ["slow query log", "복합 인덱스", "utf8mb4 설정", "데드락 분석", "replication"],
    "Redis": ["TTL 설정", "cache-aside 패턴", "pub/sub", "분산 락", "eviction 정책", "sorted set 랭킹"],
    "GitHub Actions": [
        "workflow matrix",
        "secrets 관리",
        "cache action",
        "self-hosted runner",
        "reusable workflow",
        "branch protection",
    ],
    "Nginx": ["reverse proxy", "gzip 압축", "upstream keepalive", "SSL 인증서 갱신", "rate limiting", "정적 파일 캐시"],
    "LangChain": [
        "RetrievalQA 체인",
        "프롬프트 템플릿",
        "벡터스토어 연동",
        "대화 메모리",
        "output parser",
        "tool calling",
    ],
    "Hugging Face": [
        "Trainer API",
        "tokenizer padding",
        "datasets streaming",
        "PEFT LoRA",
        "모델 카드",
        "pipeline 추론",
    ],
    "AWS": [
        "IAM 역할",
        "S3 presigned URL",
        "EC2 보안 그룹",
        "CloudFront 캐시 무효화",
        "RDS 스냅샷",
        "Lambda cold start",
    ],
    "TypeScript": ["제네릭", "타입 가드", "strict 모드", "utility type", "union 타입", "zod 스키마"],
    "vLLM": ["PagedAttention", "continuous batching", "tensor parallel", "max_model_len 설정", "OpenAI 호환 서버"],
    "Kafka": ["consumer group", "partition 설계", "offset commit", "retention 설정"],
    "Terraform": ["state 파일 관리", "module 분리", "plan/apply 흐름", "workspace"],
    "Celery": ["retry 정책", "beat 스케줄러", "worker concurrency", "결과 backend"],
    "Prometheus": ["exporter", "alert rule", "PromQL", "scrape interval"],
    "Figma": ["컴포넌트 variant", "auto layout", "프로토타입 연결", "디자인 토큰"],
    "pytest": ["fixture scope", "parametrize", "monkeypatch", "coverage 측정"],
}
TECH_NAMES = list(TECH)

TECH_DOCS = {
    "Docker": "https://docs.docker.com/",
    "FastAPI": "https://fastapi.tiangolo.com/",
    "React": "https://react.dev/",
    "Next.js": "https://nextjs.org/docs/",
    "Kubernetes": "https://kubernetes.io/docs/",
    "PyTorch": "https://pytorch.org/docs/stable/",
    "GPU": "https://docs.nvidia.com/cuda/",
    "Spring Boot": "https://docs.spring.io/spring-boot/",
    "PostgreSQL": "https://www.postgresql.org/docs/current/",
    "MySQL": "https://dev.mysql.com/doc/",
    "Redis": "https://redis.io/docs/",
    "GitHub Actions": "https://docs.github.com/actions/",
    "Nginx": "https://nginx.org/en/docs/",
    "LangChain": "https://python.langchain.com/docs/",
    "Hugging Face": "https://huggingface.co/docs/",
    "AWS": "https://docs.aws.amazon.com/",
    "TypeScript": "https://www.typescriptlang.org/docs/",
    "vLLM": "https://docs.vllm.ai/",
    "Kafka": "https://kafka.apache.org/documentation/",
    "Terraform": "https://developer.hashicorp.com/terraform/",
    "Celery": "https://docs.celeryq.dev/",
    "Prometheus": "https://prometheus.io/docs/",
    "Figma": "https://help.figma.com/",
    "pytest": "https://docs.pytest.org/",
}

FEATURES = [
    "로그인",
    "회원가입",
    "마이페이지",
    "게시판",
    "댓글",
    "알림",
    "검색",
    "추천",
    "결제",
    "랭킹",
    "채팅",
    "파일 업로드",
    "프로필 수정",
    "출석 체크",
    "미니퀘스트",
    "주간 리포트",
    "대시보드",
    "관리자 페이지",
    "소셜 로그인",
    "북마크",
    "팀 페이지",
    "피드",
    "온보딩",
    "신고하기",
    "이미지 생성",
    "요약 기능",
    "운세 카드",
    "뱃지",
    "포인트 적립",
]
MODELS = [
    "DistilBERT",
    "KoBERT",
    "KoGPT2",
    "Llama 3 8B",
    "Gemma 2B",
    "Qwen2.5 7B",
    "EXAONE 3.5",
    "SD 1.5",
    "SDXL Turbo",
    "Whisper small",
    "YOLOv8n",
    "CLIP ViT-B/32",
    "bge-m3",
    "multilingual-e5-small",
    "KoELECTRA",
    "TinyBERT",
    "MobileBERT",
    "Mistral 7B",
    "Phi-3 mini",
    "ALBERT",
]
ML_ACTIONS = [
    "파인튜닝",
    "추론 속도 측정",
    "4bit 양자화 적용",
    "LoRA 학습",
    "평가 지표 정리",
    "프롬프트 튜닝",
    "배치 추론 테스트",
    "성능 비교",
    "서빙 테스트",
    "데이터 전처리",
]
DATA = [
    "리뷰",
    "뉴스",
    "상품",
    "대화",
    "이미지",
    "음성",
    "로그",
    "설문",
    "공공데이터",
    "커뮤니티 게시글",
    "날씨",
    "지도",
    "카페 정보",
    "질문-답변",
]
MENTORS = ["David", "Jenny", "Kevin", "Lucy", "Ryan", "Sophie", "Brian", "Emma", "Noah", "Chloe"]
DOCS = [
    "기능정의서",
    "화면설계서",
    "API 명세서",
    "ERD",
    "아키텍처 다이어그램",
    "회의록",
    "서비스 기획서",
    "배포 가이드",
    "테스트 계획서",
    "README",
    "컨벤션 문서",
    "WBS",
    "트러블슈팅 문서",
    "발표 자료",
]
BUGS = [
    "CORS",
    "토큰 만료",
    "N+1 쿼리",
    "메모리 누수",
    "무한 스크롤",
    "이미지 깨짐",
    "타임존",
    "한글 인코딩",
    "캐시 무효화",
    "race condition",
    "OOM",
    "중복 요청",
    "페이지네이션",
    "세션 유지",
    "빌드 실패",
    "환경변수 누락",
    "포트 충돌",
    "마이그레이션 충돌",
]
INFRA = [
    "CI/CD 파이프라인",
    "모니터링 대시보드",
    "로드밸런서",
    "개발 서버",
    "스테이징 환경",
    "로그 수집",
    "컨테이너 레지스트리",
    "백업 스크립트",
    "도메인/HTTPS",
    "알림 봇",
    "GPU 서버",
]
UI_ACTIONS = ["디자인", "퍼블리싱", "반응형 작업", "컴포넌트 분리", "QA", "와이어프레임 작성", "목업 제작"]
LAYERS = ["Controller", "Service", "Repository", "DTO", "API 라우터", "상태 관리", "테스트 코드", "스키마"]
METRIC_VALUES: dict[str, Callable[[random.Random], str]] = {
    "응답 시간": lambda r: f"{r.choice([35, 48, 80, 120, 180, 240, 320, 450, 800, 1200])}ms",
    "p95 latency": lambda r: f"{r.choice([90, 150, 210, 380, 640, 900, 1500, 2300])}ms",
    "GPU 메모리": lambda r: f"{r.choice([3.2, 5.8, 7.1, 11.4, 15.0, 22.7, 38.5])}GB",
    "빌드 시간": lambda r: f"{r.randint(1, 14)}분 {r.randint(0, 59)}초",
    "이미지 크기": lambda r: f"{r.choice([180, 240, 410, 650, 890, 1200, 2300])}MB",
    "accuracy": lambda r: f"{r.randint(55, 96)}.{r.randint(0, 9)}%",
    "F1 score": lambda r: f"0.{r.randint(41, 93)}",
    "추론 시간": lambda r: f"{r.choice([0.2, 0.4, 0.8, 1.3, 2.5, 4.1, 9.6])}초",
    "쿼리 시간": lambda r: f"{r.choice([3, 12, 28, 75, 140, 380, 950])}ms",
    "번들 크기": lambda r: f"{r.randint(180, 2400)}KB",
    "CPU 사용률": lambda r: f"{r.randint(8, 99)}%",
    "에러율": lambda r: f"{r.randint(0, 12)}.{r.randint(0, 9)}%",
    "로딩 시간": lambda r: f"{r.randint(0, 6)}.{r.randint(1, 9)}초",
    "메모리 사용량": lambda r: f"{r.choice([256, 512, 780, 1100, 1900, 3400])}MB",
}
METRICS = list(METRIC_VALUES)
SYMPTOMS = [
    "502 Bad Gateway",
    "CUDA out of memory",
    "무한 리렌더링",
    "500 에러",
    "타임아웃",
    "한글 깨짐",
    "빈 화면",
    "중복 저장",
    "권한 오류(403)",
    "컨테이너 재시작 루프",
    "배포 후 캐시 미반영",
    "테스트 간헐적 실패",
    "메모리 급증",
    "느린 응답",
]
CAUSES = [
    "환경변수가 .env에만 있고 서버에는 없었던 것",
    "의존성 버전이 고정되지 않은 것",
    "배치 크기가 VRAM에 비해 너무 컸던 것",
    "useEffect 의존성 배열 누락",
    "인덱스가 없는 컬럼으로 조회한 것",
    "토큰 갱신 로직이 두 번 호출된 것",
    "프록시 timeout 기본값이 60초였던 것",
    "타임존이 UTC로 저장된 것",
    "볼륨 권한이 root로 잡혀 있던 것",
    "캐시 키에 사용자 ID가 빠진 것",
    "CORS origin에 포트가 빠진 것",
    "마이그레이션 순서가 꼬인 것",
]
FIXES = [
    "설정 파일로 분리",
    "재시도 로직 추가",
    "배치 크기 축소",
    "인덱스 추가",
    "캐시 TTL 조정",
    "버전 고정(pin)",
    "헬스체크 추가",
    "로그 레벨 조정",
    "쿼리 fetch join으로 변경",
    "멘토님께 질문",
    "팀 회의에서 결정",
    "문서화 후 공유",
    "PR로 분리해서 리뷰 요청",
]
PROJECTS = [
    "pumati",
    "cagong-ranking",
    "giutgiot",
    "opener",
    "ktb-log",
    "mindlog",
    "studymate",
    "fitmate",
    "recipick",
    "moodtrack",
]
ENTITIES = [
    "Cafe",
    "Menu",
    "Review",
    "User",
    "Order",
    "Quest",
    "Report",
    "Post",
    "Comment",
    "Badge",
    "Team",
    "Fortune",
    "Attendance",
    "Project",
    "Notification",
]
PEOPLE_KO = ["민지", "지훈", "소라", "유나", "서준", "하나", "도윤", "예린", "태현", "수빈"]
TEAMS = ["FE", "BE", "AI", "Cloud", "기획", "디자인"]

MENTOR_ASPECTS = [
    "업무 가치관",
    "입사 전 커리어",
    "중요하게 생각하는 지식",
    "신입에게 기대하는 것",
    "코드 리뷰 습관",
    "기술 선택 기준",
    "조언",
    "추천 학습 방법",
    "하루 업무 루틴",
    "협업할 때 중요한 것",
    "포트폴리오 피드백",
    "장애 대응 경험",
]
MENTOR_TOPICS = [
    "현직자 커리어 대화",
    "포트폴리오 리뷰",
    "아키텍처 피드백",
    "코드 리뷰 세션",
    "면접 준비 Q&A",
    "AI 서비스 기획 피드백",
    "인프라 비용 상담",
    "기술 블로그 작성법",
]

# English vocabulary (standup notes)
EN_TOPICS = [
    "the deploy command",
    "build caching",
    "the ingest pipeline",
    "search ranking",
    "the auth refactor",
    "GPU scheduling",
    "Docker image slimming",
    "the metrics dashboard",
    "release automation",
    "the wiki publisher",
    "flaky integration tests",
    "the data loader",
    "FastAPI background jobs",
    "React state handling",
    "the embedding service",
    "runner autoscaling",
    "log retention",
    "schema migrations",
]
EN_COMPONENTS = [
    "CLI",
    "API server",
    "worker",
    "frontend",
    "ingest job",
    "scheduler",
    "indexer",
    "CI pipeline",
    "Helm chart",
    "auth middleware",
    "model server",
    "nightly build",
]
EN_PEOPLE = ["David", "Jenny", "Kevin", "Lucy", "Ryan", "Sophie", "James", "Priya", "Tom", "Ana"]
EN_SUBTITLES = [
    "…",
    "a braindump",
    "getting it out",
    "a short week",
    "this week's plans",
    "loose ends",
    "thoughts on caching",
    "mostly reviews",
    "deploy day",
    "catching up",
    "notes from the incident",
    "small wins",
    "back from vacation",
    "planning",
]

SLOTS: dict[str, list[str] | Callable[[random.Random], str]] = {
    "tech": TECH_NAMES,
    "feature": FEATURES,
    "model": MODELS,
    "ml_action": ML_ACTIONS,
    "data": DATA,
    "mentor": MENTORS,
    "doc": DOCS,
    "bug": BUGS,
    "infra": INFRA,
    "ui_action": UI_ACTIONS,
    "layer": LAYERS,
    "metric": METRICS,
    "symptom": SYMPTOMS,
    "cause": CAUSES,
    "fix": FIXES,
    "project": PROJECTS,
    "entity": ENTITIES,
    "person": PEOPLE_KO,
    "team": TEAMS,
    "en_topic": EN_TOPICS,
    "component": EN_COMPONENTS,
    "en_person": EN_PEOPLE,
    "n": lambda r: str(r.randint(2, 480)),
    "few": lambda r: str(r.randint(2, 12)),
    "pr": lambda r: str(r.randint(12, 980)),
    "pct": lambda r: f"{r.randint(3, 97)}%",
    "ms": lambda r: f"{r.choice([12, 35, 48, 80, 120, 180, 240, 320, 450, 800, 1200, 2300])}ms",
    "gb": lambda r: f"{r.choice([2, 4, 6, 8, 12, 16, 24, 40, 80])}GB",
    "ver": lambda r: f"{r.randint(0, 4)}.{r.randint(0, 19)}.{r.randint(0, 9)}",
    "port": lambda r: str(r.choice([3000, 5173, 8000, 8080, 8443, 5432, 6379, 9090, 9200])),
    "hours": lambda r: str(r.randint(1, 6)),
    "file": lambda r: (
        r.choice(
            [
                "main",
                "app",
                "router",
                "utils",
                "config",
                "train",
                "infer",
                "schema",
                "service",
                "client",
                "dataset",
                "deploy",
            ]
        )
        + r.choice([".py", ".ts", ".tsx", ".yml", ".java", ".sh", ".sql"])
    ),
}

# Korean sentences.  {slot} picks from SLOTS; {slot:을} appends the right particle;
# the same slot name twice in one template gets the same value, {tech2} is an
# independent second pick from the same vocabulary.
KO_TASKS = [
    "{tech} 환경 설정 및 {doc} 정리",
    "{feature} API 구현 ({tech})",
    "{feature} 화면 {ui_action}",
    "{model} 모델 {ml_action}",
    "{feature} {layer} 리뷰 피드백 반영",
    "{mentor} 멘토링 질문 정리",
    "{data} 데이터 수집 스크립트 작성",
    "{tech} 기반 {infra} 구성",
    "Wiki에 {doc} 업데이트",
    "{doc} 작성",
    "PR #{pr} 리뷰 및 머지",
    "{bug} 버그 수정",
    "{feature} 기능 테스트 코드 작성",
    "{model} 모델 Search",
    "{data} 데이터 확보",
    "{infra} 점검",
    "{feature} 기능 QA 및 이슈 등록",
    "{tech:으로} {feature} 프로토타입 만들기",
    "{team} 파트와 {feature} 인터페이스 맞추기",
    "{doc}의 {feature} 부분 수정",
    "{model} 추론 서버 배포",
    "{data} 데이터 라벨링 {n}건",
    "데일리 스크럼 및 {doc} 공유",
    "{tech} 공식 문서 읽기",
    "{feature} 성능 개선 ({metric})",
    "{person}님과 페어 프로그래밍 ({feature})",
    "{infra} 비용 산정",
    "{tech} 버전 업그레이드 ({ver})",
    "{feature} 예외 처리 보강",
    "배포 전 체크리스트 확인",
    "스프린트 회고 준비",
    "{model} vs {model2} 비교 실험",
    "{entity} 엔티티 설계 및 ERD 반영",
    "{feature} 기능 명세 확정",
    "{tech} {concept} 적용해보기",
    "{entity} CRUD API 작성",
    "{feature} 화면 API 연동",
    "{infra}에 {tech} 배포",
    "{data} 데이터 전처리 및 EDA",
    "{model} 프롬프트 정리",
    "미니퀘스트 자료조사",
    "경쟁사 분석 및 아이디어 구체화",
    "{mentor} 멘토님 피드백 반영",
    "{bug} 이슈 재현 및 원인 파악",
    "{feature} 기능 로그 추가",
    "{doc} 초안 리뷰 요청",
    "GitHub 이슈 정리 및 마일스톤 갱신",
    "{tech} 스터디 발표 준비",
    "{feature} 접근성 점검",
]
KO_FACTS = [
    "{concept:은} {feature} 기능에서 {metric:을} 줄이기 위해 사용한다.",
    "{tech}에서 {concept:을} 잘못 설정하면 {symptom:이} 발생할 수 있다.",
    "{concept} 적용 전 {metric:은} {mv}였는데, 적용 후 {mv2} 정도로 바뀌었다.",
    "{concept:은} 처음에는 어렵게 느껴졌지만 공식 문서 예제를 따라 해보니 구조가 이해됐다.",
    "{tech} {ver} 기준으로 {concept} 관련 옵션 이름이 바뀌어서 예전 블로그 글은 그대로 쓰면 안 된다.",
    "{concept:을} 쓰면 {feature} 로직과 {feature2} 로직을 분리할 수 있어서 테스트가 쉬워진다.",
    "{concept}에 대해 {person}님이 정리한 내용을 보고 우리 프로젝트에 맞게 다시 정리했다.",
    "{tech} 컨테이너 하나당 메모리 {gb:을} 넘지 않도록 {concept:을} 같이 설정해야 한다.",
    "{concept:은} 개발 환경에서는 문제가 없지만 운영 환경에서는 {symptom}의 원인이 되기도 한다.",
    "{concept:을} 확인하려면 로그에서 {file} 부분을 먼저 보는 게 빠르다.",
    "결론: {feature} 기능에는 {concept:이} 필요하고, 나머지는 기본값으로 충분하다.",
    "{concept:과} {concept2}의 차이를 표로 비교해두니 팀원들에게 설명하기 편했다.",
    "{tech} 공식 문서에서는 {concept:을} 권장하지만 우리 규모에서는 과한 것 같다.",
    "{concept} 실습: 로컬 {port} 포트에서 띄워서 {n}번 요청을 보내 확인했다.",
    "{concept:은} 한 번 설정해두면 {infra}에서도 그대로 재사용할 수 있다.",
    "{tech} 없이 직접 구현하면 {bug} 같은 문제를 전부 손으로 처리해야 해서 {concept:을} 쓰는 게 낫다.",
    "{concept:이} 왜 필요한지는 {symptom:을} 한 번 겪어보고 나서야 이해가 됐다.",
    "{concept:을} 켜면 {metric:이} {mv} 수준으로 안정적으로 나왔다.",
    "주의: {concept} 설정은 {file}에서 덮어써질 수 있으므로 우선순위를 확인해야 한다.",
    "{concept}의 기본값은 버전마다 다르다. 우리는 {tech} {ver:을} 쓰고 있으니 문서 버전을 맞춰서 봐야 한다.",
    "{concept} 관련해서 {mentor} 멘토님이 실무에서는 모니터링부터 붙이라고 하셨다.",
    "{concept:을} 적용한 코드는 PR #{pr}에 정리해두었다.",
    "{concept:은} {what}이 아니라 why를 이해해야 다른 상황에도 응용할 수 있다.",
    "{concept:을} 몰라서 {hours}시간을 헤맸다. 에러 메시지를 끝까지 읽는 습관을 들이자.",
]
KO_MENTOR = [
    "{what:보다는} how나 why에 대한 고민을 많이 해봤으면 좋겠다고 하심.",
    "기술을 왜 골랐는지 설명할 수 있어야 한다. {tech:을} 썼다면 {tech2} 대신 쓴 이유가 있어야 함.",
    "처음부터 완벽하게 만들려고 하지 말고 {feature}처럼 작은 기능부터 차곡차곡 쌓아 올리는 게 좋다.",
    "CS 지식이 중요하다 -> {symptom} 같은 문제가 생겼을 때 어디부터 봐야 할지 알 수 있다.",
    "기능이 출시되었을 때 얼마만큼의 파급효과가 있을지, 사용자가 {feature:을} 왜 쓰는지 생각해보기.",
    "문제를 해결하기 위해 얼마만큼 노력했는지가 중요하다. {bug} 같은 이슈를 해결한 과정을 기록해두기.",
    "현업에서는 {tech:을} 직접 운영하기보다 관리형 서비스를 쓰는 경우가 많다고 함.",
    "코드 리뷰는 {layer} 단위로 작게 올리는 것이 서로에게 좋다. PR 하나에 {n}줄 이상이면 나누기.",
    "대학원에서 {ml_topic:을} 연구하다가 서비스 개발이 더 맞는다고 느껴서 진로를 바꾸셨다고 함.",
    "포트폴리오에는 결과보다 {metric:을} 어떻게 측정하고 개선했는지가 드러나야 한다.",
    "{infra} 같은 인프라도 혼자 한 번 구성해보면 면접에서 할 말이 많아진다.",
    "모르는 건 빨리 물어보는 게 팀 전체 속도에 도움이 된다. 30분 이상 막히면 공유하기.",
    "문서화는 미래의 나를 위한 것. {doc:은} 최소한 최신 상태로 유지하자.",
    "신입에게 가장 기대하는 건 학습 속도와 커뮤니케이션. 모르는 걸 모른다고 말할 수 있어야 한다.",
    "{tech:과} {tech2} 중 무엇을 고를지는 팀이 운영할 수 있는지가 기준이 되어야 한다.",
    "{model} 같은 큰 모델보다 요구사항에 맞는 작은 모델로 시작해서 {metric:을} 보고 키우는 게 낫다.",
    "장애가 나면 원인보다 복구가 먼저. 회고는 그 다음에 {doc:으로} 남기면 된다.",
    "테스트 코드는 {layer}부터 작성해보라고 추천하심.",
]
KO_ISSUES = [
    "{bug} 문제: {feature} 화면에서 {symptom:이} 발생함. 원인은 {cause:으로} 보이며, {fix:으로} 해결 예정.",
    "{infra} 비용: {model} 기준 GPU 메모리가 {gb} 필요해서 예산을 넘을 수 있음 -> 경량 모델 탐색 중.",
    "GPU 신청: 사용 {n}일 전에 신청해야 해서 일정이 밀릴 수 있다. 미리 {doc}에 일정 반영.",
    "{team}-{team2} 간 API 스펙 불일치: {feature} 응답 필드 이름이 달라서 {doc:을} 기준으로 통일하기로 함.",
    "{tech} 빌드 시간이 {n}초 이상 걸림 -> 캐시 설정을 바꿔서 개선해볼 예정.",
    "팀 이름/서비스 이름에 대한 의견이 갈림 -> 기능을 반영한 이름으로 투표해서 결정하기로 함.",
    "{data} 데이터 저작권 확인 필요: 크롤링 허용 여부를 확인하고 없으면 공공데이터로 대체.",
    "일정 지연: {feature} 기능이 예상보다 오래 걸려서 {feature2} 기능을 다음 스프린트로 미룸.",
    "{symptom} 재현이 잘 안 됨. 로그를 더 남기도록 {file} 수정 후 다시 확인 예정.",
    "PR #{pr} 충돌: {layer} 구조를 바꾸면서 충돌이 많이 남. 머지 순서를 정해서 해결.",
    "{model} 라이선스 확인 필요 (상업적 이용 가능 여부).",
    "{tech} 학습 곡선: 팀원 대부분이 처음 써보는 기술이라 {person}님이 짧게 세션을 열어주기로 함.",
    "테스트 서버 {port} 포트가 외부에 열려 있었음 -> 보안 그룹 수정 완료, {doc}에 기록.",
    "{feature} 기획 변경: 요구사항이 바뀌어서 {doc:을} 다시 작성해야 함. 변경 이력을 남기기로 함.",
    "{metric:이} 목표치({mv})를 넘음 -> {fix} 후 다시 측정.",
]
KO_RETRO = [
    "{thing:이} 생각보다 오래 걸려서 아쉽다. 내일은 {thing2}부터 먼저 해야겠다.",
    "{tech:을} 잘 모르는 게 아쉽다. 주말에 공식 문서를 한 번 더 읽어봐야겠다.",
    "{feature} 기능이 드디어 동작해서 뿌듯했다!",
    "팀원들과 {doc:을} 같이 보면서 이야기하니 방향이 명확해졌다.",
    "{mentor} 멘토님의 조언 덕분에 {thing:을} 다른 시각으로 보게 되었다.",
    "집중이 잘 안 되는 날이었다.. 뽀모도로로 {hours}시간은 버텼다.",
    "기획 부분은 좀 더 꼼꼼했으면 좋겠는데, 생각보다 일이 복잡해질 것 같다.",
    "{bug} 이슈를 해결하는 과정이 재밌었다. 원인을 찾는 데 {hours}시간 걸렸지만 배운 게 많다.",
    "오늘은 회의가 많아서 개발을 많이 못 했다. 내일은 {thing:을} 끝내는 것이 목표.",
    "{model} 모델을 찾는 과정이 수월해서 좋았다. AI 쪽이 조금씩 익숙해지는 것 같다.",
    "코드 리뷰에서 {layer} 구조에 대한 피드백을 받았다. 다음 PR부터 바로 반영하자.",
    "{person}님이 {tech} 설정을 도와주셔서 금방 끝났다. 감사!",
    "배포가 한 번에 성공해서 기분이 좋았다 ㅎㅎ",
    "체력 관리도 실력이다. 일찍 자자.",
    "{feature} 기능 범위를 너무 크게 잡았던 것 같다. MVP 기준으로 다시 나눠보자.",
    "{tech} 에러 메시지가 친절하지 않아서 고생했다. 그래도 {concept:을} 이해하게 된 건 수확.",
    "오늘 배운 {concept:을} 내일 바로 {feature} 기능에 써먹어보고 싶다.",
    "스크럼 시간이 길어졌다. 내일부터는 15분 타이머를 맞추기로 했다.",
    "혼자 고민하지 말고 빨리 물어봤으면 {hours}시간은 아꼈을 것 같다.",
    "{person}님의 PR을 리뷰하면서 {tech} 쓰는 방법을 많이 배웠다.",
]
KO_PLAIN = [
    "{feature} 기능은 {tech} 기준으로 {few}개의 엔드포인트로 나누었다.",
    "로컬에서 {port}번 포트로 띄운 뒤 {n}건의 요청으로 테스트했고 {metric:은} {mv} 정도였다.",
    "{file} 파일에 설정을 몰아두니 환경별로 바꾸기가 편해졌다.",
    "{model} 모델은 {gb} VRAM에서 배치 크기 {bs}까지 돌아갔다.",
    "{team} 파트에서 요청한 {feature} 응답 형식을 {doc}에 반영했다.",
    "원인은 {cause}이었다.",
    "{fix} 이후로는 {symptom:이} 다시 발생하지 않았다.",
    "{tech} {ver:으로} 올리면서 deprecated 경고 {n}개를 정리했다.",
    "PR #{pr}에서 {person}님이 남긴 리뷰를 반영했다.",
    "{data} 데이터는 {n}00건 정도 모였고, 중복 제거 후 {pct}가 남았다.",
    "{metric:은} {mv}에서 {mv2:으로} 개선되었다.",
    "{feature} 화면은 {ui_action}까지 끝났고 API 연동만 남았다.",
    "{entity} 테이블에 인덱스를 추가하니 쿼리 시간이 {mv3} 수준이 되었다.",
    "{model} 결과를 {n}개 샘플로 직접 확인해봤는데 한국어 문장은 어색한 경우가 많았다.",
    "{infra} 설정은 {doc}에 정리해서 팀원들과 공유했다.",
    "{tech} 로그를 보니 {symptom} 직전에 같은 요청이 {n}번 반복되고 있었다.",
    "{fix}, 그리고 {fix2}까지 하고 나서야 안정화됐다.",
    "{mentor} 멘토님께 질문드렸더니 {concept:을} 먼저 보라고 하셨다.",
    "결과적으로 {feature} 기능은 {tech:과} {tech2} 조합으로 가기로 했다.",
    "{data} 데이터에서 결측치가 {pct} 정도 있어서 제외했다.",
]
EN_TASKS = [
    "Review PR #{pr} ({component})",
    "Finish the {component} refactor",
    "Write up notes on {en_topic}",
    "Pair with {en_person} on {en_topic}",
    "Benchmark {tech} for the {component}",
    "Triage issues filed against the {component}",
    "Release {component} v{ver}",
    "Update docs for {en_topic}",
    "Follow up with {en_person} about {en_topic}",
    "Fix the flaky test in {file}",
    "Draft a proposal for {en_topic}",
    "Clean up the {component} config",
    "Upgrade {tech} to {ver}",
    "Add metrics for the {component}",
    "Write a runbook for {en_topic}",
    "Close out stale branches in the {component} repo",
    "Sketch the API for {en_topic}",
]
EN_SENTENCES = [
    "Spent most of the morning on {en_topic}; the {component} now handles the common case.",
    "I paired with {en_person} on the {component} and we found the slow path in {file}.",
    "The short version: {tech} was fine, our configuration of it was not.",
    "Turns out the {component} retried on every 5xx, which doubled the load during the incident.",
    "I'm not sure yet whether {en_topic} belongs in the {component} or in a separate tool.",
    "Median latency went from {ms} to {ms2} after the change, which is good enough for now.",
    "{en_person} asked whether we could drop the {component} entirely; worth a real look next week.",
    "Wrote a quick script to reproduce it locally on port {port}, see below.",
    "There are {n} open issues tagged for the {component}, most of them duplicates.",
    "Reviewed PR #{pr}, left a few comments about error handling and naming.",
    "I keep going back and forth on {en_topic}. Writing it down here so I stop.",
    "Nothing surprising in the logs, but the {component} memory graph climbs to {gb} before restarts.",
    "Next step is to get {en_topic} behind a flag and ship it to staging.",
    "Docs for {tech} {ver} changed the default, which explains the behaviour we saw yesterday.",
    "Building on my earlier notes about {en_topic}, I sketched a few ideas that have been bouncing around.",
    "It'd be nice to support a config file for the {component}, akin to how git handles remotes.",
    "The {component} does automatic discovery now, so nobody has to pass ids by hand.",
    "This includes handling the edge case where the {component} runs behind a proxy on port {port}.",
    "{en_person} and I disagree about the naming, which is probably a sign the abstraction is off.",
    "Lab meeting ran long; I demoed {en_topic} and got useful pushback from {en_person}.",
    "Most of the afternoon went to reviews, so {en_topic} slipped again.",
    "I'd rather keep backwards compatibility here, even if it costs an alias for a while.",
]

# --------------------------------------------------------------------------
# template rendering
# --------------------------------------------------------------------------

_TOKEN = re.compile(r"\{([a-z_]+?)(\d*)(?::([^}]+))?\}")
_COMPILED: dict[str, list] = {}


def _has_batchim(word: str) -> bool | None:
    """Does the word end in a consonant (for Korean particle choice)?"""
    w = word.rstrip(" ]\"'.!?")
    if "(" in w and w.endswith(")"):
        w = w[: w.rfind("(")].rstrip()
    w = w.rstrip(")")
    if not w:
        return False
    c = w[-1]
    if "가" <= c <= "힣":
        return (ord(c) - 0xAC00) % 28 != 0
    if c.isdigit():
        return c in "013678"
    return c.lower() in "lmn" or w.lower().endswith(("ng", "ck"))


def _rieul(word: str) -> bool:
    c = word.rstrip(" )]")[-1:] or "a"
    if "가" <= c <= "힣":
        return (ord(c) - 0xAC00) % 28 == 8
    return c.lower() == "l" or c in "178"


def josa(word: str, kind: str) -> str:
    b = _has_batchim(word)
    if kind in ("을", "를"):
        return word + ("을" if b else "를")
    if kind in ("이", "가"):
        return word + ("이" if b else "가")
    if kind in ("은", "는"):
        return word + ("은" if b else "는")
    if kind in ("과", "와"):
        return word + ("과" if b else "와")
    if kind in ("으로", "로"):
        return word + ("으로" if b and not _rieul(word) else "로")
    return word + kind


def _compile(tpl: str) -> list:
    parts: list = []
    pos = 0
    for m in _TOKEN.finditer(tpl):
        if m.start() > pos:
            parts.append(tpl[pos : m.start()])
        parts.append((m.group(1), m.group(1) + m.group(2), m.group(3)))
        pos = m.end()
    if pos < len(tpl):
        parts.append(tpl[pos:])
    _COMPILED[tpl] = parts
    return parts


def render(tpl: str, r: random.Random, bound: dict[str, str] | None = None) -> str:
    parts = _COMPILED.get(tpl) or _compile(tpl)
    chosen: dict[str, str] = dict(bound) if bound else {}
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
            continue
        base, key, particle = p
        val = chosen.get(key)
        if val is None:
            src = SLOTS.get(base)
            if src is None:  # unbound context slot (concept, thing, what, ...)
                val = _context_slot(base, r, chosen)
            elif callable(src):
                val = src(r)
            else:
                val = r.choice(src)
            chosen[key] = val
        out.append(josa(val, particle) if particle else val)
    return "".join(out)


def _context_slot(base: str, r: random.Random, chosen: dict[str, str]) -> str:
    if base == "concept":
        tech = chosen.get("tech") or r.choice(TECH_NAMES)
        return r.choice(TECH[tech])
    if base == "thing":
        return r.choice([*FEATURES, *DOCS, *INFRA]) if r.random() < 0.7 else r.choice(MODELS)
    if base == "what":
        return "what"
    if base == "mv":
        metric = chosen.get("metric") or r.choice(METRICS)
        return METRIC_VALUES[metric](r)
    if base == "lr":
        return r.choice(["1e-5", "2e-5", "3e-5", "5e-5", "1e-4", "3e-4"])
    if base == "bs":
        return str(r.choice([4, 8, 16, 32, 64, 128]))
    if base == "ml_topic":
        return r.choice(["추천 시스템", "자연어 처리", "컴퓨터 비전", "음성 인식", "강화학습"])
    return base


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def workdays_back(last: dt.date, count: int) -> list[dt.date]:
    """`count` work days ending at `last` (inclusive), newest first."""
    out: list[dt.date] = []
    d = last
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    while len(out) < count:
        if d.weekday() < 5:
            out.append(d)
        d -= dt.timedelta(days=1)
    return out


def author_names(n: int) -> list[str]:
    if n < 1:
        raise ValueError("authors must be >= 1")
    return [AUTHOR_NAMES[i] if i < len(AUTHOR_NAMES) else f"author{i + 1}" for i in range(n)]


def entry_relpath(author_index: int, author: str, day: dt.date) -> str:
    if author_index == 0:
        return f"entries/{day.isoformat()}.md"
    return f"entries/{author}/{day.isoformat()}.md"


def wrap(text: str, width: int = 78) -> str:
    return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


def url_for(tech: str, r: random.Random) -> str:
    base = TECH_DOCS.get(tech, "https://developer.mozilla.org/ko/docs/")
    slug = r.choice(TECH[tech]) if tech in TECH else "guide"
    slug = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "guide"
    return f"{base}{slug}"


def _pick(r: random.Random, pool: list[str], k: int) -> list[str]:
    k = max(0, min(k, len(pool)))
    return r.sample(pool, k)


def _sentences(r: random.Random, pool: list[str], k: int, bound: dict[str, str] | None = None) -> list[str]:
    return [render(t, r, bound) for t in _pick(r, pool, k)]


# --------------------------------------------------------------------------
# code snippets
# --------------------------------------------------------------------------


def code_block(r: random.Random, fence: bool = True) -> str:
    ent = r.choice(ENTITIES)
    low = ent.lower()
    kind = r.randrange(9)
    n = r.randint(2, 64)
    if kind == 0:
        lang, body = (
            "python",
            (
                f'@router.get("/{low}s/{{{low}_id}}", response_model={ent}Out)\n'
                f"async def get_{low}({low}_id: int, db: Session = Depends(get_db)):\n"
                f"    {low} = db.get({ent}, {low}_id)\n"
                f"    if {low} is None:\n"
                f'        raise HTTPException(status_code=404, detail="{low} not found")\n'
                f"    return {low}\n"
            ),
        )
    elif kind == 1:
        lang, body = (
            "python",
            (
                f"for epoch in range({r.randint(3, 30)}):\n"
                "    model.train()\n"
                "    for step, batch in enumerate(train_loader):\n"
                '        with torch.autocast("cuda", dtype=torch.bfloat16):\n'
                "            loss = model(**batch).loss\n"
                f"        (loss / {r.choice([2, 4, 8])}).backward()\n"
                f"        if (step + 1) % {r.choice([2, 4, 8])} == 0:\n"
                "            optimizer.step()\n"
                "            optimizer.zero_grad()\n"
            ),
        )
    elif kind == 2:
        port = r.choice([8000, 8080, 3000, 5000])
        lang, body = (
            "bash",
            (
                f"docker build -t {r.choice(PROJECTS)}-{low}:{r.randint(0, 3)}.{r.randint(0, 20)} .\n"
                f"docker run -d --name {low}-api -p {port}:{port} --env-file .env \\\n"
                f"  --gpus all {r.choice(PROJECTS)}-{low}:latest\n"
                f"docker logs -f --tail {n * 10} {low}-api\n"
            ),
        )
    elif kind == 3:
        lang, body = (
            "yaml",
            (
                "services:\n"
                "  api:\n"
                "    build: ./backend\n"
                f'    ports:\n      - "{r.choice([8000, 8080])}:8000"\n'
                "    env_file: .env\n"
                "    depends_on:\n      - db\n"
                "  db:\n"
                f"    image: postgres:{r.choice([14, 15, 16])}\n"
                "    volumes:\n      - pgdata:/var/lib/postgresql/data\n"
                "volumes:\n  pgdata:\n"
            ),
        )
    elif kind == 4:
        lang, body = (
            "java",
            (
                f'@GetMapping("/{low}s/{{{low}Id}}")\n'
                f"public ResponseEntity<{ent}Response> detail(@PathVariable Long {low}Id) {{\n"
                f"    {ent} {low} = {low}Service.get{ent}({low}Id);\n"
                f"    return ResponseEntity.ok({ent}Response.from({low}));\n"
                "}\n"
            ),
        )
    elif kind == 5:
        lang, body = (
            "tsx",
            (
                f"export function {ent}List() {{\n"
                f"  const {{ data, isLoading }} = useQuery({{ queryKey: ['{low}s'], queryFn: fetch{ent}s }});\n"
                "  if (isLoading) return <Spinner />;\n"
                f"  return <ul>{{data?.map((it) => <{ent}Item key={{it.id}} item={{it}} />)}}</ul>;\n"
                "}\n"
            ),
        )
    elif kind == 6:
        lang, body = (
            "sql",
            (
                f"EXPLAIN ANALYZE\nSELECT u.id, count(*) AS cnt\n  FROM {low}s x\n"
                "  JOIN users u ON u.id = x.user_id\n"
                f" WHERE x.created_at >= now() - interval '{n} days'\n GROUP BY u.id\n"
                " ORDER BY cnt DESC\n LIMIT 20;\n"
            ),
        )
    elif kind == 7:
        lang, body = (
            "yaml",
            (
                "name: ci\non:\n  pull_request:\n    branches: [main, develop]\njobs:\n  test:\n"
                "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
                "      - uses: actions/setup-python@v5\n        with:\n"
                f'          python-version: "3.{r.choice([10, 11, 12])}"\n'
                "      - run: pip install -r requirements.txt\n      - run: pytest -q\n"
            ),
        )
    else:
        lang, body = (
            "python",
            (
                f'tokenizer = AutoTokenizer.from_pretrained("{r.choice(MODELS)}")\n'
                f'enc = tokenizer(texts, padding="max_length", truncation=True, max_length={r.choice([128, 256, 512])})\n'
                f'print(enc["input_ids"].shape)  # ({n}, ...)\n'
            ),
        )
    if fence:
        return f"```{lang}\n{body}```"
    return "\n".join("    " + ln if ln else "" for ln in body.rstrip("\n").split("\n"))


def table(r: random.Random) -> str:
    if r.random() < 0.6:
        heads = ["모델", "모델 크기", "평가", "추후 사용 가능성"]
        rows = []
        for m in _pick(r, MODELS, r.randint(2, 5)):
            size = r.choice([f"{r.randint(12, 900)}M 파라미터", f"약 {r.choice([1.5, 2, 3.5, 4, 7, 13])}GB"])
            rows.append(
                [
                    f"**{m}**" if r.random() < 0.3 else m,
                    size,
                    render(
                        r.choice(
                            [
                                "{metric:이} 좋은 편",
                                "경량화되어 {metric} 손실이 적음",
                                "{gb} VRAM에서 동작",
                                "한국어 성능은 아쉬움",
                                "{ms} 내 추론 가능",
                            ]
                        ),
                        r,
                    ),
                    render(
                        r.choice(
                            [
                                "{feature} 기능에 적용 가능",
                                "추후 교체 가능성 있음",
                                "GPU 비용 문제로 보류",
                                "PoC 후 결정",
                                "높음",
                                "보통",
                            ]
                        ),
                        r,
                    ),
                ]
            )
    else:
        heads = ["항목", "방법 A", "방법 B", "비고"]
        rows = []
        tech = r.choice(TECH_NAMES)
        for c in _pick(r, TECH[tech], r.randint(2, 4)):
            rows.append(
                [
                    c,
                    render("{metric} {ms}", r),
                    render("{metric} {ms}", r),
                    render(r.choice(["{fix} 필요", "문서 확인", "팀 회의 후 결정", "-"]), r),
                ]
            )
    lines = ["| " + " | ".join(heads) + " |", "| " + " | ".join("---" for _ in heads) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# per-entry plan (shared by an entry and its author's next entry)
# --------------------------------------------------------------------------

SHAPES = ["team", "en_standup", "emoji", "dayn", "frontmatter", "checkbox", "opener", "h1topics"]
ALT_WEIGHTS = [0, 24, 20, 16, 16, 12, 8, 4]  # among the ~25 % non-team shapes
ENGLISH_SHAPES = {"en_standup"}


class Meta:
    __slots__ = ("author", "day", "plan", "shape", "size")

    def __init__(self, day: dt.date, author: str, shape: str, size: str, plan: list[str]):
        self.day, self.author, self.shape, self.size, self.plan = day, author, shape, size, plan


def make_meta(seed: int, day: dt.date, author_index: int, author: str) -> Meta:
    r = random.Random(f"{seed}|meta|{day.isoformat()}|{author}")
    if r.random() < 0.75:
        shape = "team"
    else:
        weights = list(ALT_WEIGHTS)
        favourite = 1 + (author_index + seed) % (len(SHAPES) - 1)
        weights[favourite] += sum(ALT_WEIGHTS)  # each author has a pet format
        shape = r.choices(SHAPES, weights=weights)[0]
    x = r.random()
    size = "tiny" if x < 0.025 else "long" if x > 0.965 else "normal"
    k = 1 if size == "tiny" else r.randint(2, 5) if size == "normal" else r.randint(4, 7)
    pool = EN_TASKS if shape in ENGLISH_SHAPES else KO_TASKS
    plan = [render(t, r) for t in _pick(r, pool, k)]
    return Meta(day, author, shape, size, plan)


# --------------------------------------------------------------------------
# shapes
# --------------------------------------------------------------------------


def _ko_date(d: dt.date) -> str:
    return KO_WEEKDAYS[d.weekday()]


def _learned_subsection(r: random.Random, long: bool) -> str:
    kind = r.random()
    out: list[str] = []
    if kind < 0.22:
        mentor = r.choice(MENTORS)
        out.append(f"#### {mentor} zoom 미팅: {r.choice(MENTOR_TOPICS)}")
        for aspect in _pick(r, MENTOR_ASPECTS, r.randint(4, 9 if long else 6)):
            out.append(f"- {mentor}의 {aspect} : {render(r.choice(KO_MENTOR), r)}")
    elif kind < 0.6:
        tech = r.choice(TECH_NAMES)
        concept = r.choice(TECH[tech])
        out.append(
            f"#### {tech} {concept} 정리"
            if r.random() < 0.6
            else f"#### {tech}: {render('{feature}', r)} 기능에 적용하기"
        )
        bound = {"tech": tech}
        for s in _sentences(r, KO_FACTS, r.randint(3, 8 if long else 5), bound):
            out.append(f"- {s}")
        if r.random() < (0.45 if long else 0.2):
            out += ["", code_block(r)]
        if r.random() < (0.35 if long else 0.12):
            out += ["", table(r)]
    elif kind < 0.8:
        out.append(
            render(
                r.choice(
                    [
                        "#### AI 모델 찾기: {model} 계열 경량 모델 조사",
                        "#### {model} vs {model2} 비교",
                        "#### {data} 데이터셋 조사",
                    ]
                ),
                r,
            )
        )
        out.append(f"**{r.choice(['llm 모델', 'Image Generation', 'Embedding', 'STT', '비교 기준'])}**")
        for s in _sentences(r, KO_PLAIN, r.randint(1, 4)):
            out.append(f"- {s}")
        out += ["  ", table(r)]
    else:
        out.append(
            render(
                r.choice(
                    [
                        "#### {bug} 이슈 원인 분석",
                        "#### 코드 리뷰 피드백: {feature} {layer}",
                        "#### 배포 회고: {infra}",
                        "#### {tech} 트러블슈팅",
                    ]
                ),
                r,
            )
        )
        for s in _sentences(r, KO_PLAIN, r.randint(3, 7 if long else 5)):
            out.append(f"- {s}")
        if r.random() < 0.3:
            out.append(f"  - {render('{fix:으로} 해결', r)}")
    return "\n".join(out)


def shape_team(r: random.Random, m: Meta, done: list[str]) -> str:
    d = m.day
    sp = " " if r.random() < 0.5 else ""
    L = [f"# 날짜: {d.isoformat()}", "", "## 스크럼", f"**어제 완료된 업무**{sp}"]
    L += [f"{i}. {t}" for i, t in enumerate(done, 1)]
    L += ["", "**오늘 진행할 업무**"]
    L += [f"{i}. {t}" for i, t in enumerate(m.plan, 1)]
    if m.size == "tiny":
        return "\n".join(L) + "\n"
    long = m.size == "long"
    L += ["", "<br>", ""]
    nsub = r.randint(9, 14) if long else r.choice([1, 2, 2, 3, 3, 3, 4, 4, 5])
    L.append("## 새로 배운 내용<br>" if r.random() < 0.8 else "## 새로 배운 내용")
    for _ in range(nsub):
        L += [_learned_subsection(r, long), ""]
    if r.random() < 0.7 or long:
        L += ["<br>", "", "## 해결이 필요한 이슈 및 해결 방안"]
        L += [f"- {s}" for s in _sentences(r, KO_ISSUES, r.randint(4, 8) if long else r.randint(1, 3))]
        L.append("")
    if r.random() < 0.85 or long:
        L += ["<br>", "", "## 오늘의 회고"]
        L += [f"- {s}" for s in _sentences(r, KO_RETRO, r.randint(4, 8) if long else r.randint(1, 4))]
        L.append("")
    if r.random() < 0.75:
        L += ["<br>", "", "## 참고 자료 및 링크"]
        if r.random() < 0.15:
            L += ["- [링크 제목](URL)", "- [링크 제목](URL)"]
        else:
            for tech in _pick(r, TECH_NAMES, r.randint(1, 5 if long else 3)):
                L.append(f"- [{tech} 공식 문서 - {r.choice(TECH[tech])}]({url_for(tech, r)})")
            if r.random() < 0.3:
                proj, num = r.choice(PROJECTS), r.randint(3, 400)
                L.append(f"- [{proj} 이슈 #{num}](https://github.com/{proj}-team/{proj}/issues/{num})")
    return "\n".join(L).rstrip() + "\n"


def shape_en_standup(r: random.Random, m: Meta, done: list[str]) -> str:
    d = m.day
    subtitle = render(r.choice([*EN_SUBTITLES, "{en_topic}"]), r)
    L = [f"# {d.day} {EN_MONTHS[d.month - 1]} {d.year}", f"# or, {subtitle}", ""]
    if r.random() < 0.7:
        h0 = r.choice([8, 9, 9, 10])
        h1 = h0 + r.randint(3, 8)
        before = r.randint(2, 30)
        L += [f"_{h0:02d}:00–{h1:02d}:00 ({h1 - h0}h + {before}h = {h1 - h0 + before}h)_", ""]
    if m.size == "tiny":
        L += ["Things to consider wrapping up:", ""] + [f"- {t}" for t in m.plan]
        return "\n".join(L) + "\n"
    paras = r.randint(8, 14) if m.size == "long" else r.randint(2, 4)
    for _ in range(paras):
        L += [wrap(" ".join(_sentences(r, EN_SENTENCES, r.randint(2, 5)))), ""]
        if r.random() < 0.35:
            L += [code_block(r, fence=r.random() < 0.5), ""]
    if done and r.random() < 0.5:
        L += ["## Done", ""] + [f"- [x] {t}" for t in done] + [""]
    L += ["## Todo", ""] + [f"- [ ] {t}" for t in m.plan]
    if r.random() < 0.4:
        L += ["", "## Next week", ""] + [f"- {render(r.choice(EN_TASKS), r)}" for _ in range(r.randint(1, 3))]
    return "\n".join(L) + "\n"


def shape_emoji(r: random.Random, m: Meta, done: list[str]) -> str:
    d = m.day
    proj = r.choice(PROJECTS)
    stack = ", ".join(_pick(r, TECH_NAMES, 2))
    L = [f"> - {d:%y%m%d} log", f"> - {proj}-project  ", f"> - {stack}  ", "", ""]
    n = 1 if m.size == "tiny" else r.randint(8, 12) if m.size == "long" else r.randint(2, 4)
    for i in range(1, n + 1):
        tech = r.choice(TECH_NAMES)
        concept = r.choice(TECH[tech])
        L.append(f"## 🔖 {i}. {concept if r.random() < 0.7 else ''}".rstrip())
        L += [f"> {tech} {concept} 적용", ""]
        if m.size != "tiny":
            L += [code_block(r)]
            for s in _sentences(r, KO_FACTS + KO_PLAIN, r.randint(1, 4), {"tech": tech, "concept": concept}):
                L.append(s + "  ")
            if r.random() < 0.3:
                L += [f"![image](./img/{d:%y%m%d}_{i}.png)"]
            L += ["", "<br>", ""]
        else:
            L.append(render(r.choice(KO_PLAIN), r))
    while L and L[-1] == "":
        L.pop()
    L += ["", "", f"## 🔖 {r.choice(['다음에 할 일', 'TODO', '다음 작업'])}"] + [f"- {t}" for t in m.plan]
    return "\n".join(L).rstrip() + "\n"


def shape_dayn(r: random.Random, m: Meta, done: list[str]) -> str:
    d = m.day
    dayno = (d.toordinal() // 7 * 5 + min(d.weekday(), 4)) % 90 + 1
    topic = r.choice(
        [
            "Model",
            "Data",
            "EDA",
            "Augmentation",
            "Ensemble",
            "Baseline",
            "Serving",
            "Fine-tuning",
            "Tokenizer",
            "Validation",
            "pre-trained model 사용",
        ]
    )
    if r.random() < 0.5:
        L = [f"# Day {dayno} - {topic} ({d:%Y.%m.%d})", ""]
    else:
        L = [f"# Day {dayno} - {topic}", "", f"> {d:%Y.%m.%d} ({_ko_date(d)})", ""]
    if r.random() < 0.7:
        L += ["## 오늘의 목표", ""] + [f"* {render(r.choice(KO_TASKS), r)}" for _ in range(r.randint(1, 3))] + [""]
    L += ["## 오늘 해본 것", ""]
    n = 1 if m.size == "tiny" else r.randint(14, 24) if m.size == "long" else r.randint(3, 7)
    for top in _sentences(r, KO_PLAIN + KO_FACTS, n):
        L.append(f"* {top}")
        for _ in range(r.choice([0, 0, 1, 2])):
            L.append(f"  * {render(r.choice(KO_PLAIN), r)}")
            if r.random() < 0.2:
                L.append(f"    * {render(r.choice(['batch size = {bs}', 'lr = {lr}', '{metric} = {mv}']), r)}")
    if m.size != "tiny" and r.random() < 0.4:
        L += ["", code_block(r)]
    if r.random() < 0.4:
        alt = r.choice(["accuracy", "loss", "result"])
        L += ["", f"![{alt}](./img/day{dayno}/{alt}_{r.randint(1, 9)}.png)"]
    L += ["", "## 앞으로 할 일", ""] + [f"* {t}" for t in m.plan]
    return "\n".join(L) + "\n"


def shape_frontmatter(r: random.Random, m: Meta, done: list[str]) -> str:
    d = m.day
    tech = r.choice(TECH_NAMES)
    date_line = r.choice(
        [
            f"date: {d.isoformat()}",
            f'date: "{d.isoformat()}"',
            f"date: {d.isoformat()} {r.randint(8, 23):02d}:{r.randint(0, 59):02d}:00 +0900",
        ]
    )
    tags = ", ".join(t.lower().replace(" ", "-") for t in _pick(r, TECH_NAMES, r.randint(1, 3)))
    L = [
        "---",
        f'title: "TIL - {tech} {r.choice(TECH[tech])}"',
        date_line,
        f"author: {m.author}",
        f"tags: [{tags}]",
        "---",
        "",
    ]
    if done:
        L += ["## 어제 한 일", ""] + [f"- {t}" for t in done] + [""]
    L += ["## 오늘 할 일", ""] + [f"- {t}" for t in m.plan]
    if m.size == "tiny":
        return "\n".join(L) + "\n"
    L += ["", "## TIL", ""]
    for _ in range(r.randint(7, 10) if m.size == "long" else r.randint(1, 3)):
        t2 = r.choice(TECH_NAMES)
        L += [f"### {t2} {r.choice(TECH[t2])}", ""]
        L += [" ".join(_sentences(r, KO_FACTS, r.randint(2, 5), {"tech": t2})), ""]
        if r.random() < 0.4:
            L += [code_block(r), ""]
    return "\n".join(L).rstrip() + "\n"


def shape_checkbox(r: random.Random, m: Meta, done: list[str]) -> str:
    d = m.day
    head = r.choice([f"# {d:%Y.%m.%d} ({_ko_date(d)})", f"# {d:%Y/%m/%d} TODO", f"# 📅 {d:%Y.%m.%d} 할 일"])
    L = [head, ""]
    if done:
        L += ["## ✅ Done", ""]
        for t in done:
            L.append(f"- [x] {t}")
            if r.random() < 0.3:
                L.append(f"  - [x] {render(r.choice(KO_PLAIN), r)}")
        L.append("")
    L += ["## 📌 Plan", ""]
    deep = 4 if m.size == "long" else 1
    for t in m.plan:
        L.append(f"- [ ] {t}")
        for _ in range(r.randint(0, 2 * deep)):
            L.append(f"  - [ ] {render(r.choice(KO_TASKS), r)}")
            if r.random() < 0.3:
                L.append(f"    - [{r.choice(' x')}] {render(r.choice(KO_TASKS), r)}")
    if m.size != "tiny":
        L += ["", "## 메모", ""]
        L += [f"- {s}" for s in _sentences(r, KO_PLAIN + KO_RETRO, r.randint(2, 5) * deep)]
    return "\n".join(L) + "\n"


def shape_opener(r: random.Random, m: Meta, done: list[str]) -> str:
    d = m.day
    L = [
        "# 데일리 스크럼",
        "",
        f"## {d.isoformat()}",
        "",
        f"### 1. {r.choice(['Yesterday', 'YesterDay', 'Yesterday'])}",
        "",
    ]
    for t in done:
        L.append(f"- {t}")
        for _ in range(r.choice([0, 0, 1, 2])):
            L.append(f"    - {render(r.choice(KO_PLAIN), r)}")
    L += ["", f"### 2. {r.choice(['Today Todo', 'Today'])}", ""]
    for t in m.plan:
        L.append(f"- {t}")
        if r.random() < 0.3:
            sub = r.choice(["완료되어야 {doc} 작성 가능", "{team} 파트와 논의 필요", "{tech} 버전 확인"])
            L.append(f"    - {render(sub, r)}")
    if m.size != "tiny":
        for team in _pick(r, ["FE", "BE", "AI", "공통"], r.randint(2, 3) if m.size == "normal" else 4):
            L += ["", f"#### {team}", ""]
            for _ in range(r.randint(2, 4) if m.size == "normal" else r.randint(8, 14)):
                L.append(f"- {render(r.choice(KO_TASKS), r)}")
                if r.random() < 0.3:
                    L.append(f"    - {render(r.choice(KO_PLAIN), r)}")
    return "\n".join(L) + "\n"


def shape_h1topics(r: random.Random, m: Meta, done: list[str]) -> str:
    d = m.day
    L = [f"{d:%y%m%d} {r.choice(['오전 회의', '오후 회의', '팀 회의', '스크럼'])}", ""]
    n = 1 if m.size == "tiny" else r.randint(8, 12) if m.size == "long" else r.randint(3, 5)
    for i in range(1, n + 1):
        L.append(f"# {i}. {render(r.choice(KO_TASKS), r)}")
        L += [f"- {s}" for s in _sentences(r, KO_PLAIN, r.randint(2, 5))]
        if r.random() < 0.3:
            L += ["", f"⇒ {render(r.choice(KO_RETRO), r)}", ""]
            L.append(f"### {render(r.choice(['{feature} 기능 정리', '{data} 데이터 활용 방안']), r)}")
            L += [f"- {render(r.choice(KO_PLAIN), r)}" for _ in range(r.randint(1, 3))]
            L.append(f"    - {render('전처리 : {fix}', r)}")
        L.append("")
    L.append(f"# {n + 1}. {r.choice(['내일 할 일', '다음 할 일', 'TODO'])}")
    L += [f"- {t}" for t in m.plan]
    return "\n".join(L).rstrip() + "\n"


SHAPE_FUNCS = {
    "team": shape_team,
    "en_standup": shape_en_standup,
    "emoji": shape_emoji,
    "dayn": shape_dayn,
    "frontmatter": shape_frontmatter,
    "checkbox": shape_checkbox,
    "opener": shape_opener,
    "h1topics": shape_h1topics,
}


# --------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------


def _prepare(out_dir: Path) -> None:
    """Refuse to write into a non-synthetic workspace; clear a previous synthetic one."""
    toml = out_dir / "devlog.toml"
    entries = out_dir / "entries"
    if entries.exists():
        synthetic = toml.is_file() and toml.read_text(encoding="utf-8") == TOML
        if not synthetic and any(entries.iterdir()):
            raise FileExistsError(f"{entries} exists and {toml} is not a synthetic workspace; refusing to overwrite")
        shutil.rmtree(entries)
    out_dir.mkdir(parents=True, exist_ok=True)


def generate(out_dir: Path, days: int = 10000, seed: int = 7, authors: int = 4) -> list[Path]:
    """Write a synthetic workspace to `out_dir`; return the entry paths, oldest first."""
    if days < 0:
        raise ValueError("days must be >= 0")
    names = author_names(authors)
    out_dir = Path(out_dir)
    _prepare(out_dir)
    (out_dir / "devlog.toml").write_text(TOML, encoding="utf-8", newline="\n")

    dates = workdays_back(LAST_DAY, days + authors)  # newest first; extra tail for carry-over
    metas: dict[int, Meta] = {}

    def meta(k: int) -> Meta:
        mm = metas.get(k)
        if mm is None:
            ai = k % authors
            mm = metas[k] = make_meta(seed, dates[k], ai, names[ai])
        return mm

    made_dirs: set[Path] = set()
    written: list[Path] = []
    for k in range(days - 1, -1, -1):  # oldest first
        ai = k % authors
        m = meta(k)
        done = list(meta(k + authors).plan)
        metas.pop(k + authors, None)
        r = random.Random(f"{seed}|body|{m.day.isoformat()}|{m.author}")
        text = SHAPE_FUNCS[m.shape](r, m, done)
        path = out_dir / entry_relpath(ai, m.author, m.day)
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic devlog workspace.")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--days", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--authors", type=int, default=4)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        paths = generate(a.out_dir, days=a.days, seed=a.seed, authors=a.authors)
    except (FileExistsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    secs = time.perf_counter() - t0
    total = sum(p.stat().st_size for p in paths)
    print(f"files written: {len(paths)}  total: {total / 1e6:.2f} MB  seconds: {secs:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
