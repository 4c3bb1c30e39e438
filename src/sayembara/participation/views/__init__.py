"""Views of the participant side (``/peserta/``): every view declares its permission."""
