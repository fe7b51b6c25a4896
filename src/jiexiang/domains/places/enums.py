"""Place layers and component states, with Chinese labels beside them."""

from __future__ import annotations

from enum import StrEnum


class Layer(StrEnum):
    """The layers of the places registry, in the order they must be loaded (parents first)."""

    subdistricts = "subdistricts"
    communities = "communities"
    alleys = "alleys"
    grid_cells = "grid-cells"
    buildings = "buildings"
    components = "components"
    addresses = "addresses"


LAYER_LABELS: dict[Layer, str] = {
    Layer.subdistricts: "街道",
    Layer.communities: "社区",
    Layer.alleys: "街巷",
    Layer.grid_cells: "网格",
    Layer.buildings: "建筑",
    Layer.components: "部件",
    Layer.addresses: "门牌地址",
}


class ComponentState(StrEnum):
    normal = "normal"
    damaged = "damaged"
    missing = "missing"
    removed = "removed"


COMPONENT_STATE_LABELS: dict[ComponentState, str] = {
    ComponentState.normal: "完好",
    ComponentState.damaged: "损坏",
    ComponentState.missing: "丢失",
    ComponentState.removed: "已拆除",
}


class AddressKind(StrEnum):
    house_number = "house_number"
    courtyard = "courtyard"
    landmark = "landmark"


ADDRESS_KIND_LABELS: dict[AddressKind, str] = {
    AddressKind.house_number: "门牌",
    AddressKind.courtyard: "院落",
    AddressKind.landmark: "地标",
}
