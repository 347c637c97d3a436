print("keybatch")
