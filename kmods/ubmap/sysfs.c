// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/block/ubmapN/ubmap/: per-device settings.  The mode and the strict
 * switch change only while no backend is attached (-EBUSY otherwise): the
 * window's vma flags and the backend's view depend on them.
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>

#include "ubmap.h"

static struct ubmap_dev *ubmap_attr_dev(struct device *d)
{
	return dev_to_disk(d)->private_data;
}

static ssize_t mode_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", ubmap_mode_name(ubmap_attr_dev(d)->mode));
}

static ssize_t mode_store(struct device *d, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct ubmap_dev *dev = ubmap_attr_dev(d);
	const struct ubmap_mode_ops *mode = ubmap_mode_find(buf);
	ssize_t ret = count;

	if (!mode)
		return -EINVAL;
	mutex_lock(&dev->lock);
	if (test_bit(0, &dev->attached))
		ret = -EBUSY;
	else
		dev->mode = mode;
	mutex_unlock(&dev->lock);
	return ret;
}
static DEVICE_ATTR_RW(mode);

static ssize_t strict_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", ubmap_attr_dev(d)->strict);
}

static ssize_t strict_store(struct device *d, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct ubmap_dev *dev = ubmap_attr_dev(d);
	ssize_t ret = count;
	bool val;

	if (kstrtobool(buf, &val))
		return -EINVAL;
	mutex_lock(&dev->lock);
	if (test_bit(0, &dev->attached))
		ret = -EBUSY;
	else
		dev->strict = val;
	mutex_unlock(&dev->lock);
	return ret;
}
static DEVICE_ATTR_RW(strict);

/* The modes this build knows, for scripts that iterate over them. */
static ssize_t modes_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	/* Past the first space. */
	return sysfs_emit(buf, "%s\n", UBMAP_MODE_NAMES + 1);
}
static DEVICE_ATTR_RO(modes);

static ssize_t attached_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", test_bit(0, &ubmap_attr_dev(d)->attached));
}
static DEVICE_ATTR_RO(attached);

static struct attribute *ubmap_disk_attrs[] = {
	&dev_attr_mode.attr,
	&dev_attr_strict.attr,
	&dev_attr_modes.attr,
	&dev_attr_attached.attr,
	NULL,
};

static const struct attribute_group ubmap_disk_group = {
	.name	= "ubmap",
	.attrs	= ubmap_disk_attrs,
};

const struct attribute_group *ubmap_disk_groups[] = {
	&ubmap_disk_group,
	NULL,
};
