"""The org router: who am I, and the directory."""

from ninja import Router, Schema

from luoshi.org.models import Unit

router = Router(tags=["组织"])


class MeOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    unit_id: int | None
    leader_id: int | None


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    aliases: list[str]
    liaison_name: str
    liaison_phone: str
    liaison_mobile: str


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    user = request.user
    return MeOut(
        username=user.username,
        name=user.display_name,
        role=user.role,
        role_label=user.get_role_display(),
        unit_id=user.unit_id,
        leader_id=user.leader_id,
    )


@router.get("/units", response=list[UnitOut], summary="单位通讯录")
def units(request, kind: str | None = None):
    queryset = Unit.objects.active().prefetch_related("aliases").order_by("order", "id")
    if kind:
        queryset = queryset.filter(kind=kind)
    return [
        UnitOut(
            id=unit.pk,
            name=unit.name,
            short_name=unit.short_name,
            kind=unit.kind,
            kind_label=unit.get_kind_display(),
            aliases=[alias.alias for alias in unit.aliases.all()],
            liaison_name=unit.liaison_name,
            liaison_phone=unit.liaison_phone,
            liaison_mobile=unit.liaison_mobile,
        )
        for unit in queryset
    ]
