/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * A removable node board for the bench guest: QEMU has no container
 * hot-plug, so this SSDT (loaded with -acpitable) describes one. The
 * container NOD1 holds two memory devices over QEMU's node 1 RAM, 256 MiB
 * and 128 MiB from 512 MiB up, which the guest does not use (mem=512M).
 * (QEMU keeps its ACPI tables in the last block below 1 GiB: that one
 * stays out.) The board is absent at boot, as mem= forbids adding memory
 * above it while booting. Its PLUG and UNPL methods play the firmware:
 * insertion (a device check) and the eject button (an eject request);
 * the guest runs them with acpidbg. It can be ejected (_EJ0) and records the last _OST it
 * got, which the guest reads as the _STA (sysfs "status") of the objects
 * OSTN (how many), OSTE (source event) and OSTS (status). Those have no
 * _HID and are never enumerated.
 */
DefinitionBlock ("", "SSDT", 2, "SHPBEN", "NODEBRD", 1)
{
	External (\_SB, DeviceObj)

	Scope (\_SB)
	{
		Device (NOD1)
		{
			Name (_HID, "ACPI0004")
			Name (_UID, 0x51)
			/* _STA: 0 (absent), or present, enabled, shown, functioning */
			Name (STAT, Zero)
			/* The last _OST: source event, status; and how many so far */
			Name (LOSE, Zero)
			Name (LOSS, Zero)
			Name (LOSN, Zero)

			Method (_STA, 0, NotSerialized)
			{
				Return (STAT)
			}

			Method (_EJ0, 1, NotSerialized)
			{
				STAT = Zero
			}

			Method (_OST, 3, NotSerialized)
			{
				LOSE = Arg0
				LOSS = Arg1
				LOSN++
			}

			/* The firmware's side: the board is inserted (device check) */
			Method (PLUG, 0, NotSerialized)
			{
				STAT = 0x0F
				Notify (NOD1, One)
			}

			/* The eject button: an eject request */
			Method (UNPL, 0, NotSerialized)
			{
				Notify (NOD1, 0x03)
			}

			Device (MEM0)
			{
				Name (_HID, EisaId ("PNP0C80"))
				Name (_UID, 0x52)
				Name (_PXM, One)
				Method (_STA, 0, NotSerialized)
				{
					Return (STAT)
				}
				Name (_CRS, ResourceTemplate ()
				{
					QWordMemory (ResourceConsumer, PosDecode, MinFixed,
						MaxFixed, Cacheable, ReadWrite, 0x0,
						0x20000000, 0x2FFFFFFF, 0x0, 0x10000000)
				})
			}

			Device (MEM1)
			{
				Name (_HID, EisaId ("PNP0C80"))
				Name (_UID, 0x53)
				Name (_PXM, One)
				Method (_STA, 0, NotSerialized)
				{
					Return (STAT)
				}
				Name (_CRS, ResourceTemplate ()
				{
					QWordMemory (ResourceConsumer, PosDecode, MinFixed,
						MaxFixed, Cacheable, ReadWrite, 0x0,
						0x30000000, 0x37FFFFFF, 0x0, 0x08000000)
				})
			}
		}

		/* The last _OST of NOD1, for the guest to read */
		Device (OSTN)
		{
			Name (_ADR, Zero)
			Method (_STA, 0, NotSerialized)
			{
				Return (\_SB.NOD1.LOSN)
			}
		}

		Device (OSTE)
		{
			Name (_ADR, One)
			Method (_STA, 0, NotSerialized)
			{
				Return (\_SB.NOD1.LOSE)
			}
		}

		Device (OSTS)
		{
			Name (_ADR, 0x02)
			Method (_STA, 0, NotSerialized)
			{
				Return (\_SB.NOD1.LOSS)
			}
		}
	}
}
