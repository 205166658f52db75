/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The list of profiles: title, slug, methods in words, the pinned organization by name, mode and
 * custom path, with Edit and Delete (never for the default profile).
 */
import { createElement } from '@wordpress/element';
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import { methodName, modeName } from './labels';

/**
 * @param {Object}   props
 * @param {Object[]} props.profiles EditorProfiles.
 * @param {?Object}  props.orgNames Organization id → name (null while they load).
 * @param {Function} props.onEdit   Called with a profile.
 * @param {Function} props.onDelete Called with a profile.
 * @param {number}   props.busyId   The profile being deleted (0 for none).
 */
export default function ProfileList( {
	profiles,
	orgNames,
	onEdit,
	onDelete,
	busyId,
} ) {
	const org = ( p ) => {
		if ( ! p.organization_id ) {
			return __( 'None', 'workos' );
		}
		return (
			p.organization_name ||
			( orgNames && orgNames[ p.organization_id ] ) ||
			( orgNames === null
				? p.organization_id
				: sprintf(
						/* translators: %s: organization id. */
						__( '%s (name unknown)', 'workos' ),
						p.organization_id
					) )
		);
	};
	return (
		<table className="widefat striped workos-pp-table">
			<caption className="screen-reader-text">
				{ __( 'Login profiles', 'workos' ) }
			</caption>
			<thead>
				<tr>
					<th scope="col">{ __( 'Title', 'workos' ) }</th>
					<th scope="col">{ __( 'Slug', 'workos' ) }</th>
					<th scope="col">{ __( 'Sign-in methods', 'workos' ) }</th>
					<th scope="col">{ __( 'Organization', 'workos' ) }</th>
					<th scope="col">{ __( 'Mode', 'workos' ) }</th>
					<th scope="col">{ __( 'Custom path', 'workos' ) }</th>
					<th scope="col">{ __( 'Actions', 'workos' ) }</th>
				</tr>
			</thead>
			<tbody>
				{ profiles.map( ( p ) => {
					const isDefault = p.slug === 'default';
					return (
						<tr key={ p.id } data-slug={ p.slug }>
							<td data-label={ __( 'Title', 'workos' ) }>
								<span>
									<strong>{ p.title }</strong>
									{ isDefault && (
										<span className="workos-pp-badge">
											{ __( 'Default', 'workos' ) }
										</span>
									) }
								</span>
							</td>
							<td data-label={ __( 'Slug', 'workos' ) }>
								<span>
									<code>{ p.slug }</code>
								</span>
							</td>
							<td
								data-label={ __( 'Sign-in methods', 'workos' ) }
							>
								{ ( p.methods || [] )
									.map( methodName )
									.join( ', ' ) }
							</td>
							<td
								data-label={ __( 'Organization', 'workos' ) }
								className="workos-pp-org-cell"
							>
								{ org( p ) }
							</td>
							<td data-label={ __( 'Mode', 'workos' ) }>
								{ modeName( p.mode ) }
							</td>
							<td data-label={ __( 'Custom path', 'workos' ) }>
								<span>
									{ p.custom_path ? (
										<code>
											{ '/' + p.custom_path + '/' }
										</code>
									) : (
										'—'
									) }
								</span>
							</td>
							<td data-label={ __( 'Actions', 'workos' ) }>
								<div className="workos-pp-row-actions">
									<Button
										variant="secondary"
										onClick={ () => onEdit( p ) }
										aria-label={ sprintf(
											/* translators: %s: profile title. */
											__( 'Edit “%s”', 'workos' ),
											p.title
										) }
									>
										{ __( 'Edit', 'workos' ) }
									</Button>
									{ isDefault ? (
										<span className="description workos-pp-locked">
											{ __(
												'Cannot be deleted: used when no other profile applies.',
												'workos'
											) }
										</span>
									) : (
										<Button
											variant="secondary"
											isDestructive
											isBusy={ busyId === p.id }
											disabled={ busyId === p.id }
											onClick={ () => onDelete( p ) }
											aria-label={ sprintf(
												/* translators: %s: profile title. */
												__( 'Delete “%s”', 'workos' ),
												p.title
											) }
										>
											{ __( 'Delete', 'workos' ) }
										</Button>
									) }
								</div>
							</td>
						</tr>
					);
				} ) }
			</tbody>
		</table>
	);
}
