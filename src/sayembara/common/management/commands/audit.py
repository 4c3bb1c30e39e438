from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.services.audit import verify_chain
from sayembara.common.services.checkpoints import (
    CheckpointError,
    bundle_anchor,
    check_anchor,
    generate_key,
    key_id,
    known_anchors,
    load_public_key,
    parse_head,
    public_pem,
    read_checkpoint,
    write_checkpoint,
)


class Command(BaseCommand):
    help = ("Work with the hash-chained audit log: `audit verify` checks every link and every "
            "anchor; `audit checkpoint` signs the chain's head; `audit keygen` creates the "
            "signing key; `audit public-key` prints the key to publish.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "keygen", "public-key"])
        parser.add_argument("--checkpoint", action="append", default=[], type=Path,
                            metavar="FILE",
                            help="verify: a published checkpoint file (may be repeated)")
        parser.add_argument("--bundle", action="append", default=[], type=Path,
                            metavar="PATH",
                            help="verify: a results bundle (folder or zip) whose chain head "
                                 "to check (may be repeated)")
        parser.add_argument("--head", action="append", default=[], metavar="SEQ:HASH",
                            help="verify: a chain head printed on a document (may be repeated)")
        parser.add_argument("--public-key", type=Path, metavar="FILE",
                            help="verify: the published public key (default: the configured "
                                 "one)")
        parser.add_argument("--key-file", type=Path, metavar="FILE",
                            help="keygen, checkpoint: the private key (default: "
                                 "SAYEMBARA_AUDIT_KEY_FILE)")
        parser.add_argument("--out", type=Path, metavar="DIR",
                            help="checkpoint: folder for the checkpoint files (default: "
                                 "SAYEMBARA_AUDIT_CHECKPOINT_DIR)")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            if action == "keygen":
                return self._keygen(options)
            if action == "public-key":
                self.stdout.write(public_pem(load_public_key(options["public_key"])), ending="")
                return None
            if action == "checkpoint":
                return self._checkpoint(options)
            return self._verify(options)
        except CheckpointError as error:
            raise CommandError(str(error)) from error

    def _keygen(self, options):
        key_file = options["key_file"] or settings.SAYEMBARA_AUDIT_KEY_FILE
        public_file = (settings.SAYEMBARA_AUDIT_PUBLIC_KEY_FILE if options["key_file"] is None
                       else Path(key_file).with_name(Path(key_file).stem + ".pub.pem"))
        public = generate_key(key_file=Path(key_file), public_file=Path(public_file))
        self.stdout.write(_("Signing key %(id)s written to %(key)s (readable by its owner "
                            "only); publish the public key in %(public)s.")
                          % {"id": key_id(public), "key": key_file, "public": public_file})

    def _checkpoint(self, options):
        checkpoint, path = write_checkpoint(key_file=options["key_file"], folder=options["out"])
        if path is None:
            self.stdout.write(_("No new events since checkpoint %(seq)s of %(at)s; nothing "
                                "written.") % {"seq": checkpoint.seq, "at": checkpoint.created_at})
            return
        self.stdout.write(_("Checkpoint written to %(path)s: event %(seq)s, head %(hash)s, "
                            "signed with key %(id)s.")
                          % {"path": path, "seq": checkpoint.seq, "hash": checkpoint.head,
                             "id": checkpoint.key_id})

    def _verify(self, options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                ngettext("Audit chain broken at event %(seq)s: %(problem)s (%(count)s event "
                         "before it is intact).",
                         "Audit chain broken at event %(seq)s: %(problem)s (%(count)s events "
                         "before it are intact).", report.checked)
                % {"seq": report.broken_at, "problem": report.problem, "count": report.checked})
        anchors, problems = [], []
        given = options["checkpoint"] or options["bundle"] or options["head"]
        if options["checkpoint"] or not given:
            try:
                public = load_public_key(options["public_key"])
            except CheckpointError as error:
                if options["checkpoint"]:
                    raise
                public = None
                self.stdout.write(_("No public key is configured, so no checkpoint is "
                                    "checked (%(why)s).") % {"why": error})
            if public is not None:
                for path in options["checkpoint"]:
                    try:
                        anchors.append(read_checkpoint(path, public_key=public)
                                       .anchor(str(path)))
                    except CheckpointError as error:
                        problems.append(str(error))
                if not given:
                    found, bad = known_anchors(public_key=public)
                    anchors += found
                    problems += bad
        for path in options["bundle"]:
            try:
                anchors.append(bundle_anchor(path))
            except CheckpointError as error:
                problems.append(str(error))
        for text in options["head"]:
            try:
                anchors.append(parse_head(text, source=_("the head %(text)s") % {"text": text}))
            except CheckpointError as error:
                problems.append(str(error))
        problems += [problem for problem in (check_anchor(a) for a in anchors) if problem]
        if problems:
            raise CommandError("\n".join(problems))
        newest = max((a.seq for a in anchors), default=None)
        checked = ngettext("Audit chain intact: %(count)s event checked",
                           "Audit chain intact: %(count)s events checked", report.checked) % {
                               "count": report.checked}
        if newest is None:
            self.stdout.write(checked + ".")
        else:
            self.stdout.write(ngettext("%(checked)s; %(count)s anchor holds, the newest at event "
                                       "%(newest)s.",
                                       "%(checked)s; %(count)s anchors hold, the newest at "
                                       "event %(newest)s.", len(anchors))
                              % {"checked": checked, "count": len(anchors), "newest": newest})
