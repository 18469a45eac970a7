from rest_framework import serializers

from accounts.models import User
from core.api.fields import StrictCharField, StrictEmailField
from lists.models import NAME_MAX_LENGTH, SHARED_ROLE_CHOICES, Invitation, List, Membership, Role


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name"]
        read_only_fields = fields


class InviterSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["email", "name"]
        read_only_fields = fields


class ListSerializer(serializers.ModelSerializer):
    # At most 100 characters as sent, not blank once trimmed; stored trimmed.
    name = StrictCharField(max_length=NAME_MAX_LENGTH)
    role = serializers.ChoiceField(
        choices=Role.choices, read_only=True, help_text="The caller's role on the list."
    )
    owner = PersonSerializer(read_only=True)

    class Meta:
        model = List
        fields = ["id", "name", "is_inbox", "role", "owner", "created_at", "updated_at"]
        read_only_fields = ["id", "is_inbox", "created_at", "updated_at"]


class ListSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = List
        fields = ["id", "name"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]
        read_only_fields = ["id", "created_at"]


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=SHARED_ROLE_CHOICES)


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as its list's owner sees it."""

    email = StrictEmailField(max_length=254)
    role = serializers.ChoiceField(choices=SHARED_ROLE_CHOICES)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "created_at", "expires_at"]
        read_only_fields = ["id", "created_at", "expires_at"]


class ReceivedInvitationSerializer(serializers.ModelSerializer):
    """An invitation as the invited person sees it."""

    list = ListSummarySerializer(read_only=True)
    role = serializers.ChoiceField(choices=SHARED_ROLE_CHOICES, read_only=True)
    invited_by = InviterSerializer(read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "list", "role", "invited_by", "created_at", "expires_at"]
        read_only_fields = fields
