"""The flagship template carries every fact of the reference guide (shared/reference)."""

from __future__ import annotations


def test_the_five_transferable_skills(flagship):
    assert [skill.name for skill in flagship.transferable_skills] == [
        "API Development",
        "Cloud Platforms (AWS/GCP)",
        "System Architecture",
        "SQL and Data Management",
        "DevOps and CI/CD",
    ]


def test_the_six_skills_to_learn_in_order_with_their_resources(flagship):
    skills = sorted(flagship.skills_to_learn, key=lambda skill: skill.priority)
    assert [skill.name for skill in skills] == [
        "Client Communication and Technical Presentations",
        "Project Scoping and Requirements Gathering",
        "ML Algorithms and Model Selection",
        "AI Solution Architecture Patterns",
        "MLOps and Model Deployment",
        "Enterprise AI Governance and Ethics",
    ]
    named = {
        0: ["Lucidchart", "Technical Writing: How to Write Software Documentation", "Udemy"],
        1: ["The Art of Project Management", "Scott Berkun"],
        2: ["Machine Learning Specialization", "Coursera", "Andrew Ng"],
        3: ["Well-Architected", "Designing Machine Learning Systems", "Chip Huyen"],
        4: ["MLOps", "Coursera", "MLflow", "Kubeflow", "Docker"],
        5: ["Weapons of Math Destruction", "Cathy O'Neil", "edX"],
    }
    for index, facts in named.items():
        resources = (
            " ".join(f"{r.title} {r.provider}" for r in skills[index].resources)
            + " "
            + skills[index].how
        )
        for fact in facts:
            assert fact in resources, (skills[index].name, fact)


def test_the_five_phases_with_their_weeks(flagship):
    # A phase lasts as long as its tasks' hours: at the baseline 10 hours a week, the
    # reference guide's weeks.
    weeks = flagship.baseline_weeks()
    assert [(phase.name, weeks[index]) for index, phase in enumerate(flagship.roadmap)] == [
        ("Foundations of AI/ML", 8),
        ("Cloud AI Services and Architecture", 6),
        ("Solution Design and Client Skills", 6),
        ("Real-World Project and Portfolio", 8),
        ("Job Search and Interview Preparation", 4),
    ]
    assert all(len(phase.tasks) >= 3 for phase in flagship.roadmap)
    tasks = " ".join(task.task for phase in flagship.roadmap for task in phase.tasks)
    for fact in (
        "Machine Learning Specialization",
        "AWS Solutions Architect Associate",
        "SageMaker",
        "Azure ML",
        "Lucidchart",
        "Flask",
        "LinkedIn",
        "recommendation system",
    ):
        assert fact in tasks, fact


def test_reality_check_action_items_salary_and_call_to_action(flagship):
    check = flagship.reality_check
    assert (len(check.love), len(check.miss), len(check.challenges)) == (4, 4, 4)
    # The reference's action items are first steps and tasks of the plan now: the action
    # lists are read from each person's schedule (tests/plan/test_schedule.py).
    steps = " ".join(step.step for step in flagship.first_steps)
    tasks = " ".join(task.task for phase in flagship.roadmap for task in phase.tasks)
    for fact in ("Coursera", "AWS account", "Designing Machine Learning Systems", "LinkedIn"):
        assert fact in steps, fact
    for fact in (
        "courses one and two",
        "linear regression",
        "Kaggle",
        "Solutions Architect Associate",
        "Complete the Machine Learning Specialization",
        "sentiment analysis API",
        "Shadow a solutions architect",
    ):
        assert fact in tasks, fact
    salary = flagship.salary
    assert salary.currency == "USD"
    assert (salary.range.min, salary.range.max) == (150_000, 280_000)
    assert (salary.typical_start.min, salary.typical_start.max) == (160_000, 180_000)
    assert flagship.call_to_action.heading == "Ready to Start Your Transition?"
    assert flagship.baseline_hours_per_week == 10
