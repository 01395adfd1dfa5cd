from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Agency, User
from lindung.verification.models import Outcome, Verdict


class ScoreField(forms.FloatField):
    """A score between 0 and 1 as people type it here: "0,95" or "0.95"."""

    def __init__(self, *, min_value: float = 0.0, max_value: float = 1.0, **kwargs: Any) -> None:
        low, high = (f"{v:g}".replace(".", ",") for v in (min_value, max_value))
        kwargs["error_messages"] = {
            "invalid": _("Tulis angka antara 0 dan 1, misalnya 0,95."),
            "required": _("Skor wajib diisi, misalnya 0,95."),
            "min_value": _("Skor paling kecil %s.") % low,
            "max_value": _("Skor paling besar %s.") % high,
        }
        super().__init__(
            min_value=min_value,
            max_value=max_value,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **kwargs,
        )

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


NOTE = forms.CharField(label=_("Catatan"), required=False, max_length=500, widget=forms.TextInput())


class MatchDecisionForm(forms.Form):
    accepted = forms.TypedChoiceField(
        choices=[("1", _("Terima")), ("0", _("Tolak"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Pilih terima atau tolak.")},
    )
    note = NOTE


class BulkAcceptForm(forms.Form):
    min_score = ScoreField(
        label=_("Skor minimal"),
        min_value=0.5,
        initial=0.95,
        help_text=_("Hanya calon tanpa pesaing yang hampir sama kuat yang ikut diterima."),
    )
    note = NOTE


class BulkConfirmForm(BulkAcceptForm):
    """The bulk accept as confirmed: with the count the verifier was shown."""

    expected = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput())


DIFFERENT_PEOPLE = 0


class DuplicateDecisionForm(forms.Form):
    owner = forms.TypedChoiceField(
        label=_("Pemilik"),
        coerce=int,
        error_messages={
            "required": _("Pilih baris yang mempertahankan orang ini."),
            "invalid_choice": _("Pilih salah satu baris dari kelompok ini."),
        },
    )
    note = NOTE

    def __init__(self, *args: Any, member_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # 0: the rows are different people after all; each keeps its own.
        self.fields["owner"].choices = [(str(pk), str(pk)) for pk in member_ids] + [
            (str(DIFFERENT_PEOPLE), str(DIFFERENT_PEOPLE))
        ]


class PolicyForm(forms.Form):
    link_accept = ScoreField(
        label=_("Padan otomatis DTKS/DTSEN mulai skor"),
        help_text=_(
            "Baris yang NIK-nya sama persis dengan data DTKS/DTSEN dan skornya setinggi ini "
            "langsung dianggap ada di DTKS/DTSEN tanpa diperiksa. Calon padanan lain (NIK beda "
            "satu digit, nama ejaan lain) selalu masuk antrian tinjauan. Bawaan 0,99: "
            "turunkan hanya bila antrian penuh dengan kasus yang jelas."
        ),
    )
    link_review = ScoreField(
        label=_("Calon padanan diperiksa mulai skor"),
        help_text=_(
            "Calon padanan dengan skor di bawah ini dibuang: baris dianggap tidak ada di "
            "DTKS/DTSEN. Makin rendah, makin banyak calon lemah yang harus diperiksa "
            "verifikator; makin tinggi, makin besar risiko orang yang sebenarnya terdaftar "
            "terlewat. Bawaan 0,5."
        ),
    )
    duplicate_accept = ScoreField(
        label=_("Data ganda otomatis mulai skor"),
        help_text=_(
            "Dua baris dengan skor setinggi ini dianggap pasti orang yang sama. Bila keduanya "
            "dari instansi yang sama, baris pertama yang diteruskan; bila dari instansi "
            "berbeda, verifikator tetap memilih instansi yang meneruskan. Bawaan 0,99."
        ),
    )
    duplicate_review = ScoreField(
        label=_("Calon data ganda diperiksa mulai skor"),
        help_text=_(
            "Pasangan baris dengan skor di antara ambang ini dan ambang otomatis masuk antrian "
            "data ganda; di bawahnya dianggap orang yang berbeda. Bawaan 0,5."
        ),
    )

    learn_weights = forms.BooleanField(
        label=_("Pelajari bobot bukti dari data setiap verifikasi"),
        required=False,
        help_text=_(
            "Bila dicentang, bobot tiap bukti (NIK, nama, tanggal lahir, jenis kelamin, "
            "wilayah) dihitung ulang dari calon padanan setiap verifikasi, berangkat dari "
            "bobot bawaan. Berguna bila daftar usulan jauh lebih berantakan daripada biasanya; "
            "skor lalu berarti peluang orang yang sama di antara calon padanan. Bobot yang "
            "dipakai disimpan pada setiap verifikasi. Bawaan: tidak."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind in ("link", "duplicate"):
            accept, review = cleaned.get(f"{kind}_accept"), cleaned.get(f"{kind}_review")
            if accept is not None and review is not None and review > accept:
                self.add_error(
                    f"{kind}_review", _("Ambang periksa tidak boleh di atas ambang otomatis.")
                )
        for name, value in list(cleaned.items()):
            if isinstance(value, float) and value <= 0:
                self.add_error(name, _("Ambang harus lebih dari 0."))
        return cleaned


class QueueFilterForm(forms.Form):
    """Filters of the verifier's lists; anything unknown means "all"."""

    instansi = forms.ModelChoiceField(
        label=_("Instansi"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Semua instansi"),
    )
    hasil = forms.ChoiceField(
        label=_("Hasil"),
        choices=[("", _("Semua hasil")), *Outcome.choices],
        required=False,
    )
    kesimpulan = forms.ChoiceField(
        label=_("Kesimpulan"),
        choices=[("", _("Semua kesimpulan")), *Verdict.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = Agency.objects.filter(pemda_id=user.pemda_id).order_by(
            "name"
        )

    def value(self, name: str) -> Any:
        """The cleaned filter, or None when it is empty or not one we know (an invalid field
        is left out of `cleaned_data`)."""
        self.is_valid()
        return self.cleaned_data.get(name) or None
