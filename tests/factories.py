from __future__ import annotations

import datetime as dt

import factory

from lindung.accounts.models import Agency, AgencyKind, Pemda, Role, User
from lindung.enrollment.models import Allocation, AllocationLine, LineOutcome
from lindung.programs.models import (
    BpjsFundingCode,
    FundingKind,
    FundingSource,
    Occupation,
    Program,
    ProgramStatus,
)
from lindung.workers.models import Enrolment, EnrolmentStatus, Worker


class PemdaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pemda
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"pemda-{n}")
    name = factory.Sequence(lambda n: f"Pemda {n}")
    region_id = "35.04"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    pemda = factory.SubFactory(PemdaFactory)
    code = factory.Sequence(lambda n: f"opd-{n}")
    name = factory.Sequence(lambda n: f"Dinas {n}")
    kind = AgencyKind.OPD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    pemda = factory.SubFactory(PemdaFactory)
    role = Role.ADMIN
    password = factory.PostGenerationMethodCall("set_password", "Rahasia#Uji2025")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation

    pemda = factory.SubFactory(PemdaFactory)
    name = factory.Sequence(lambda n: f"Pekerjaan {n}")
    synonyms = factory.LazyFunction(list)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    pemda = factory.SubFactory(PemdaFactory)
    code = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Program {n}")
    year = 2025
    status = ProgramStatus.OPEN
    bpjs_branch = "BPJS Ketenagakerjaan Cabang Tulungagung"
    start_month = dt.date(2025, 1, 1)
    coverage_months = 12
    benefits = factory.LazyFunction(lambda: ["JKK", "JKM"])
    declared_income = 1_000_000
    quota = 37_500


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    pemda = factory.SubFactory(PemdaFactory)
    nik = factory.Sequence(lambda n: f"350401120875{n % 9999 + 1:04d}")
    name = factory.Sequence(lambda n: f"Pekerja {n}")
    sex = "L"
    birth_date = dt.date(1975, 8, 12)


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    program = factory.SubFactory(ProgramFactory)
    pemda = factory.SelfAttribute("program.pemda")
    name = factory.Sequence(lambda n: f"APBD {n}")
    code = factory.Sequence(lambda n: f"apbd-{n}")
    kind = FundingKind.APBD
    amount = 7_560_000_000
    bpjs_code = BpjsFundingCode.SG


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An active enrolment (KPJ and effective date set) of a new worker of the program's Pemda."""

    class Meta:
        model = Enrolment

    program = factory.SubFactory(ProgramFactory)
    pemda = factory.SelfAttribute("program.pemda")
    worker = factory.SubFactory(WorkerFactory, pemda=factory.SelfAttribute("..pemda"))
    status = EnrolmentStatus.ACTIVE
    kpj = factory.Sequence(lambda n: f"25{n:09d}")
    start_month = factory.SelfAttribute("program.start_month")
    started_on = factory.SelfAttribute("program.start_month")


class AllocationFactory(factory.django.DjangoModelFactory):
    """A proposal of the program from its start month for the whole year at Rp 16.800 a month
    (JKK + JKM at Rp 1.000.000 declared income); its lines come from AllocationLineFactory."""

    class Meta:
        model = Allocation

    program = factory.SubFactory(ProgramFactory)
    pemda = factory.SelfAttribute("program.pemda")
    start_month = factory.SelfAttribute("program.start_month")
    months = factory.SelfAttribute("program.coverage_months")
    benefits = factory.LazyFunction(lambda: ["JKK", "JKM"])
    monthly_premium = 16_800
    quota_free = factory.SelfAttribute("program.quota")
    budget_available = 7_560_000_000
    proposed_by = factory.SubFactory(
        UserFactory, pemda=factory.SelfAttribute("..pemda"), role=Role.VERIFIER
    )


class AllocationLineFactory(factory.django.DjangoModelFactory):
    """An allocated line of a new person (NIK 3504015000000001 onwards) in rank order."""

    class Meta:
        model = AllocationLine

    allocation = factory.SubFactory(AllocationFactory)
    pemda = factory.SelfAttribute("allocation.pemda")
    rank = factory.Sequence(lambda n: n + 1)
    nik = factory.Sequence(lambda n: f"3504015{n % 999999999 + 1:09d}")
    name = factory.Sequence(lambda n: f"Calon {n}")
    agency = factory.SubFactory(AgencyFactory, pemda=factory.SelfAttribute("..pemda"))
    birth_date = dt.date(1980, 3, 1)
    outcome = LineOutcome.ALLOCATED
